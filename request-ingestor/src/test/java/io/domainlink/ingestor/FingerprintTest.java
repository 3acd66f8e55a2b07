package io.domainlink.ingestor;

import static io.domainlink.ingestor.Requests.apex;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.ConnectionType;

class FingerprintTest {

    final ConnectionRequested original = apex("r-1", "example.com", ConnectionType.POINTING).build();

    @Test
    void ignoresRequestedAtSoALaterRepublishIsIdentical() {
        ConnectionRequested later = ConnectionRequested.newBuilder(original).setRequestedAt(Instant.parse("2026-05-05T00:00:00Z")).build();

        assertThat(Fingerprint.of(later)).isEqualTo(Fingerprint.of(original)).hasSize(Fingerprint.LENGTH);
    }

    @Test
    void ignoresTheOrderOfCorrelationEntries() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");

        assertThat(Fingerprint.of(ConnectionRequested.newBuilder(original).setCorrelation(ab).build()))
                .isEqualTo(Fingerprint.of(ConnectionRequested.newBuilder(original).setCorrelation(ba).build()));
    }

    @Test
    void countsCorrelationDomainSpellingAndTypeDifferencesAsADifferentPayload() {
        byte[] fp = Fingerprint.of(original);

        assertThat(Fingerprint.of(ConnectionRequested.newBuilder(original).setCorrelation(Map.of("ticket", "other")).build())).isNotEqualTo(fp);
        assertThat(Fingerprint.of(ConnectionRequested.newBuilder(original).setDomain("EXAMPLE.com").build())).isNotEqualTo(fp);
        assertThat(Fingerprint.of(ConnectionRequested.newBuilder(original).setConnectionType(ConnectionType.NAMESERVERS).build())).isNotEqualTo(fp);
        assertThat(Fingerprint.of(ConnectionRequested.newBuilder(original).setSuppressNotifications(true).build())).isNotEqualTo(fp);
    }
}
