package io.domainlink.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.domainlink.common.registry.RegistryConfig;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.common.serde.SerdeException;
import io.domainlink.common.tracing.TraceContext;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.FailureReason;
import io.domainlink.events.Flow;
import io.domainlink.events.Stage;
import io.domainlink.testsupport.FakeSchemaRegistry;

class UnreadableOutcomesTest {

    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    static final String TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    static final SerdeException POISON = new SerdeException(SerdeException.Kind.UNDECODABLE_PAYLOAD, "truncated body");

    final FakeSchemaRegistry fake = FakeSchemaRegistry.start();
    final SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.of(fake.url()));
    final UnreadableOutcomes outcomes = outcomes(Topics.OUTCOMES.valueSerializer(registry, true));

    static UnreadableOutcomes outcomes(Serializer<SpecificRecord> serializer) {
        return new UnreadableOutcomes(Stage.WATCHER, "propagation-watcher", Set.of(Topics.CONFIGURED.name()), serializer,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        registry.close();
        fake.close();
    }

    static Headers requestHeaders(String requestId, String generation) {
        Headers h = new RecordHeaders().add(TraceContext.HEADER, TRACE.getBytes(StandardCharsets.UTF_8));
        h.add(RequestHeaders.REQUEST_ID, requestId.getBytes(StandardCharsets.UTF_8));
        h.add(RequestHeaders.GENERATION, generation.getBytes(StandardCharsets.UTF_8));
        return h;
    }

    static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anUnreadableRecordThatNamesItsRequestGetsOneDomainFailedKeyedByTheDomain() {
        List<ProducerRecord<byte[], byte[]>> out = outcomes.companions(Topics.CONFIGURED.name(), key("shop.example.com"),
                requestHeaders("r-1", "4"), POISON);

        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo(Topics.OUTCOMES.name());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("shop.example.com");
            DomainFailed f = (DomainFailed) Topics.OUTCOMES.valueDeserializer(registry).deserialize(r.topic(), r.value());
            assertThat(f.getReason()).isEqualTo(FailureReason.UNREADABLE);
            assertThat(f.getStage()).isEqualTo(Stage.WATCHER);
            assertThat(f.getOccurredAt()).isEqualTo(NOW);
            assertThat(f.getMessage()).isEqualTo("the propagation-watcher could not read its record domains.configured "
                    + "(UNDECODABLE_PAYLOAD); the record is in domains.dead-letter");
            assertThat(f.getContext().getRequestId()).isEqualTo("r-1");
            assertThat(f.getContext().getDomain()).isEqualTo("shop.example.com");
            assertThat(f.getContext().getGeneration()).isEqualTo(4);
            assertThat(f.getContext().getFlow()).isEqualTo(Flow.UNKNOWN);
            assertThat(f.getContext().getAccountId()).isEmpty();
            assertThat(f.getContext().getCorrelation()).isEmpty();
            TraceContext trace = TraceContext.from(r.headers()).orElseThrow();
            assertThat(trace.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(trace.header()).as("this stage's own span").isNotEqualTo(TRACE);
        });
    }

    @Test
    void aMalformedGenerationIsZero() {
        assertThat(outcomes.failed(Topics.CONFIGURED.name(), "domains.configured-2@7", key("example.com"),
                requestHeaders("r-1", "two"), POISON)).hasValueSatisfying(f -> {
                    assertThat(f.getContext().getGeneration()).isZero();
                    assertThat(f.getMessage()).contains("record domains.configured-2@7 (UNDECODABLE_PAYLOAD)");
                });
    }

    @Test
    void noEventWithoutARequestIdANormalizedKeyOrForAnotherTopic() {
        Headers noId = new RecordHeaders().add(RequestHeaders.GENERATION, key("1"));
        String topic = Topics.CONFIGURED.name();

        assertThat(outcomes.companions(topic, key("example.com"), noId, POISON)).isEmpty();
        assertThat(outcomes.companions(topic, key("example.com"), requestHeaders("r\u0000x", "1"), POISON)).isEmpty();
        assertThat(outcomes.companions(topic, null, requestHeaders("r-1", "1"), POISON)).isEmpty();
        assertThat(outcomes.companions(topic, key("Example.COM"), requestHeaders("r-1", "1"), POISON)).isEmpty();
        assertThat(outcomes.companions(topic, key("not a domain"), requestHeaders("r-1", "1"), POISON)).isEmpty();
        assertThat(outcomes.companions(topic, new byte[] {(byte) 0xff, 'a', '.', 'b'}, requestHeaders("r-1", "1"), POISON)).isEmpty();
        assertThat(outcomes.companions(topic, key("a".repeat(250) + ".com"), requestHeaders("r-1", "1"), POISON)).isEmpty();
        // an upstream system writes rechecks: its headers cannot end a request
        assertThat(outcomes.companions(Topics.RECHECKS.name(), key("example.com"), requestHeaders("r-1", "1"), POISON)).isEmpty();
    }

    @Test
    void whenTheEventCannotBeSerializedThereIsNoCompanionAndNoException() {
        UnreadableOutcomes registryDown = outcomes((topic, value) -> {
            throw new SerdeException(SerdeException.Kind.REGISTRY_UNAVAILABLE, "connection refused");
        });

        assertThat(registryDown.companions(Topics.CONFIGURED.name(), key("example.com"), requestHeaders("r-1", "1"), POISON)).isEmpty();
    }
}
