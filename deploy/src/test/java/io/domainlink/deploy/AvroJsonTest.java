package io.domainlink.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.domainlink.events.FailureReason;
import io.domainlink.tools.AvroJson;

class AvroJsonTest {

    @Test
    void anOutcomeIsOnePlainJsonLineWithItsTypeEnumsTimesAndCorrelation() throws Exception {
        String line = AvroJson.line(ProgressBoardTest.failed("r1", FailureReason.WIX_REJECTED));

        assertThat(line).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("event").asText()).isEqualTo("DomainFailed");
        assertThat(json.get("reason").asText()).isEqualTo("WIX_REJECTED");
        assertThat(json.get("occurredAt").asText()).isEqualTo("2026-11-27T10:00:03Z");
        assertThat(json.at("/context/correlation/ticket").asText()).isEqualTo("T");
        assertThat(json.at("/context/flow").asText()).isEqualTo("POINTING");
        assertThat(json.get("wixHttpStatus").isNull()).isTrue();
    }
}
