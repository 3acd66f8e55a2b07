package io.domainlink.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** The compatibility check itself: it must reject what breaks old readers or new readers, and accept what does not. */
class SchemaCompatibilityCheckTest {

    static final Schema V1 = SchemaBuilder.record("Evt").namespace("t").fields()
            .requiredString("requestId")
            .requiredString("siteId")
            .name("flow").type().enumeration("Flow").defaultSymbol("UNKNOWN").symbols("UNKNOWN", "A", "B").enumDefault("UNKNOWN")
            .endRecord();

    @Test
    void removingAFieldWithoutDefaultIsRejected() {
        Schema v2 = SchemaBuilder.record("Evt").namespace("t").fields()
                .requiredString("requestId")
                .name("flow").type().enumeration("Flow").defaultSymbol("UNKNOWN").symbols("UNKNOWN", "A", "B").enumDefault("UNKNOWN")
                .endRecord();
        List<String> problems = SchemaCompatibilityCheck.fullTransitiveProblems(v2, List.of(V1));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("forward").contains("siteId"));
    }

    @Test
    void addingARequiredFieldWithoutDefaultIsRejected() {
        Schema v2 = SchemaBuilder.record("Evt").namespace("t").fields()
                .requiredString("requestId")
                .requiredString("siteId")
                .name("flow").type().enumeration("Flow").defaultSymbol("UNKNOWN").symbols("UNKNOWN", "A", "B").enumDefault("UNKNOWN")
                .requiredLong("newRequired")
                .endRecord();
        assertThat(SchemaCompatibilityCheck.fullTransitiveProblems(v2, List.of(V1)))
                .anySatisfy(p -> assertThat(p).contains("backward").contains("newRequired"));
    }

    @Test
    void addingAnOptionalFieldAndAnEnumSymbolWithADeclaredDefaultIsAccepted() {
        Schema v2 = SchemaBuilder.record("Evt").namespace("t").fields()
                .requiredString("requestId")
                .requiredString("siteId")
                .name("flow").type().enumeration("Flow").defaultSymbol("UNKNOWN").symbols("UNKNOWN", "A", "B", "C").enumDefault("UNKNOWN")
                .optionalString("note")
                .endRecord();
        assertThat(SchemaCompatibilityCheck.fullTransitiveProblems(v2, List.of(V1))).isEmpty();
    }

    @Test
    void anEnumWithoutDefaultCannotGainSymbols() {
        Schema noDefault = SchemaBuilder.record("Evt").namespace("t").fields()
                .name("flow").type().enumeration("Flow").symbols("A", "B").noDefault()
                .endRecord();
        Schema more = SchemaBuilder.record("Evt").namespace("t").fields()
                .name("flow").type().enumeration("Flow").symbols("A", "B", "C").noDefault()
                .endRecord();
        assertThat(SchemaCompatibilityCheck.fullTransitiveProblems(more, List.of(noDefault)))
                .anySatisfy(p -> assertThat(p).contains("forward").contains("C"));
    }

    @Test
    void theCheckIsTransitiveAcrossEveryReleasedVersion() {
        Schema v2 = SchemaBuilder.record("Evt").namespace("t").fields()
                .requiredString("requestId")
                .requiredString("siteId")
                .name("flow").type().enumeration("Flow").defaultSymbol("UNKNOWN").symbols("UNKNOWN", "A", "B").enumDefault("UNKNOWN")
                .name("extra").type().stringType().stringDefault("x")
                .endRecord();
        // v3 drops the defaulted field again but also drops siteId: fine against v2's default, breaks v1 and v2 readers.
        Schema v3 = SchemaBuilder.record("Evt").namespace("t").fields()
                .requiredString("requestId")
                .name("flow").type().enumeration("Flow").defaultSymbol("UNKNOWN").symbols("UNKNOWN", "A", "B").enumDefault("UNKNOWN")
                .endRecord();
        assertThat(SchemaCompatibilityCheck.fullTransitiveProblems(v3, List.of(V1, v2)))
                .anySatisfy(p -> assertThat(p).contains("by v1"))
                .anySatisfy(p -> assertThat(p).contains("by v2"));
    }
}
