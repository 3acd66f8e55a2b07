package io.domainlink.common.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.domainlink.common.registry.RegistryConfig;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.EventContract;
import io.domainlink.events.FailureReason;
import io.domainlink.events.Flow;
import io.domainlink.events.RecheckRequested;
import io.domainlink.events.RequestContext;
import io.domainlink.events.Stage;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;

class AvroSerdeTest {

    @StartStop
    final MockWebServer registry = new MockWebServer();
    SchemaRegistryClient client;

    SchemaRegistryClient client() {
        client = new SchemaRegistryClient(new RegistryConfig(registry.url("/").toString(), null, null, null, java.time.Duration.ofMillis(300)));
        return client;
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    static RecheckRequested recheck() {
        return RecheckRequested.newBuilder().setDomain("example.com").setRequestId(null)
                .setCorrelation(Map.of()).setRequestedAt(Instant.ofEpochMilli(1000)).build();
    }

    @Test
    void writesExactlyTheConfluentWireBytes() throws Exception {
        registry.enqueue(new MockResponse.Builder().code(200).body("{\"id\":42}").build());
        byte[] bytes = new AvroSerializer<RecheckRequested>(client(), RecheckRequested.getClassSchema(), true)
                .serialize("domains.rechecks", recheck());
        // magic 0, id 42 big-endian, then Avro: string len 11 (zigzag 0x16) "example.com", union branch 0 (null),
        // empty map (0x00), long 1000 (zigzag 2000 = 0xd0 0x0f)
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(
                "000000002a" + "16" + HexFormat.of().formatHex("example.com".getBytes()) + "00" + "00" + "d00f");
        var request = registry.takeRequest();
        assertThat(request.getTarget()).isEqualTo("/subjects/domains.rechecks-value/versions");
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/vnd.schemaregistry.v1+json");
        assertThat(request.getBody().utf8()).contains("RecheckRequested");
    }

    @Test
    void registersOncePerTopicThenServesFromCache() throws Exception {
        registry.enqueue(new MockResponse.Builder().code(200).body("{\"id\":7}").build());
        var ser = new AvroSerializer<RecheckRequested>(client(), RecheckRequested.getClassSchema(), true);
        for (int i = 0; i < 100; i++) {
            ser.serialize("domains.rechecks", recheck());
        }
        assertThat(registry.getRequestCount()).isEqualTo(1);
    }

    @Test
    void roundTripsAUnionValueOfEitherTerminalEvent() throws Exception {
        registry.enqueue(new MockResponse.Builder().code(200).body("{\"id\":3}").build());
        SchemaRegistryClient c = client();
        var ser = new AvroSerializer<SpecificRecord>(c, EventContract.OUTCOME, true);
        DomainFailed failed = DomainFailed.newBuilder()
                .setContext(RequestContext.newBuilder().setRequestId("r1").setDomain("a.com").setFlow(Flow.POINTING)
                        .setAccountId("acc").setSiteId("site").setCorrelation(Map.of("k", "v")).setGeneration(1).build())
                .setOccurredAt(Instant.ofEpochMilli(5)).setReason(FailureReason.WIX_REJECTED).setStage(Stage.CONNECTOR)
                .setMessage("no").setWixErrorCode("X").setWixHttpStatus(403).setWixMessage("m").setLastStatus(null).build();
        byte[] bytes = ser.serialize("domains.outcomes", failed);
        // the deserializer now needs the writer schema by id: it is cached from registration
        SpecificRecord back = new AvroDeserializer<SpecificRecord>(c, EventContract.OUTCOME).deserialize("domains.outcomes", bytes);
        assertThat(back).isInstanceOf(DomainFailed.class).isEqualTo(failed);
    }

    @Test
    void anOlderReaderReadsANewerWritersRecord() throws Exception {
        // a newer RecheckRequested with an extra optional field, written by some other producer
        Schema newer = new Schema.Parser().parse(RecheckRequested.getClassSchema().toString()
                .replace("\"fields\":[", "\"fields\":[{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null},"));
        GenericRecord rec = new GenericData.Record(newer);
        rec.put("note", "hello");
        rec.put("domain", "example.com");
        rec.put("requestId", "r9");
        rec.put("correlation", Map.of());
        rec.put("requestedAt", 1000L);
        byte[] framed = frame(11, newer, rec);
        registry.enqueue(new MockResponse.Builder().code(200)
                .body("{\"schema\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(newer.toString()) + "}").build());
        RecheckRequested read = new AvroDeserializer<RecheckRequested>(client(), RecheckRequested.getClassSchema())
                .deserialize("domains.rechecks", framed);
        assertThat(read.getDomain()).isEqualTo("example.com");
        assertThat(read.getRequestId()).isEqualTo("r9");
    }

    @Test
    void rejectsBytesWithoutTheMagicByteAsPoison() {
        var de = new AvroDeserializer<RecheckRequested>(client(), RecheckRequested.getClassSchema());
        assertThatThrownBy(() -> de.deserialize("t", "{\"json\":true}".getBytes()))
                .isInstanceOfSatisfying(SerdeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(SerdeException.Kind.UNKNOWN_MAGIC_BYTE);
                    assertThat(e.poison()).isTrue();
                });
        assertThatThrownBy(() -> de.deserialize("t", new byte[] {0, 0}))
                .isInstanceOfSatisfying(SerdeException.class, e -> assertThat(e.kind()).isEqualTo(SerdeException.Kind.UNKNOWN_MAGIC_BYTE));
    }

    @Test
    void anUnknownSchemaIdIsPoisonNamingTheId() {
        registry.enqueue(new MockResponse.Builder().code(404).body("{\"error_code\":40403,\"message\":\"Schema not found\"}").build());
        var de = new AvroDeserializer<RecheckRequested>(client(), RecheckRequested.getClassSchema());
        assertThatThrownBy(() -> de.deserialize("t", new byte[] {0, 0, 0, 3, (byte) 0xe7, 1, 2}))
                .isInstanceOfSatisfying(SerdeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(SerdeException.Kind.UNKNOWN_SCHEMA_ID);
                    assertThat(e.getMessage()).contains("id 999");
                });
    }

    @Test
    void aSchemaThatIsNotAvroOrCannotBeResolvedIsPoison() {
        var de = new AvroDeserializer<RecheckRequested>(client(), RecheckRequested.getClassSchema());
        registry.enqueue(new MockResponse.Builder().code(200).body("{\"schema\":\"{not avro\"}").build());
        assertThatThrownBy(() -> de.deserialize("t", new byte[] {0, 0, 0, 0, 1, 1}))
                .isInstanceOfSatisfying(SerdeException.class, e -> assertThat(e.kind()).isEqualTo(SerdeException.Kind.UNREADABLE_SCHEMA));
        Schema other = SchemaBuilder.record("Other").fields().requiredInt("x").endRecord();
        registry.enqueue(new MockResponse.Builder().code(200)
                .body("{\"schema\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(other.toString()) + "}").build());
        assertThatThrownBy(() -> de.deserialize("t", new byte[] {0, 0, 0, 0, 2, 1}))
                .isInstanceOfSatisfying(SerdeException.class, e -> assertThat(e.kind()).isEqualTo(SerdeException.Kind.UNREADABLE_SCHEMA));
    }

    @Test
    void aTruncatedBodyIsPoison() throws Exception {
        registry.enqueue(new MockResponse.Builder().code(200).body("{\"id\":5}").build());
        SchemaRegistryClient c = client();
        byte[] ok = new AvroSerializer<RecheckRequested>(c, RecheckRequested.getClassSchema(), true).serialize("t", recheck());
        byte[] truncated = java.util.Arrays.copyOf(ok, 8);
        assertThatThrownBy(() -> new AvroDeserializer<RecheckRequested>(c, RecheckRequested.getClassSchema()).deserialize("t", truncated))
                .isInstanceOfSatisfying(SerdeException.class, e -> assertThat(e.kind()).isEqualTo(SerdeException.Kind.UNDECODABLE_PAYLOAD));
    }

    @Test
    void anUnreachableRegistryIsNotPoisonAndIsRetriedWithinItsBudget() throws Exception {
        registry.enqueue(new MockResponse.Builder().code(503).build());
        registry.enqueue(new MockResponse.Builder().code(503).build());
        registry.enqueue(new MockResponse.Builder().code(200).body("{\"id\":9}").build());
        SchemaRegistryClient c = new SchemaRegistryClient(new RegistryConfig(registry.url("/").toString(), null, null, null, java.time.Duration.ofSeconds(5)));
        client = c;
        byte[] bytes = new AvroSerializer<RecheckRequested>(c, RecheckRequested.getClassSchema(), true).serialize("t", recheck());
        assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(9);
        assertThat(registry.getRequestCount()).isEqualTo(3);

        registry.close();
        var de = new AvroDeserializer<RecheckRequested>(client(), RecheckRequested.getClassSchema());
        assertThatThrownBy(() -> de.deserialize("t", new byte[] {0, 0, 0, 0, 77, 1}))
                .isInstanceOfSatisfying(SerdeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(SerdeException.Kind.REGISTRY_UNAVAILABLE);
                    assertThat(e.poison()).isFalse();
                });
    }

    @Test
    void sendsBasicAuthWhenConfigured() throws Exception {
        registry.enqueue(new MockResponse.Builder().code(200).body("{\"id\":1}").build());
        client = new SchemaRegistryClient(new RegistryConfig(registry.url("/").toString(), "u:p", null, null, null));
        client.register("s", RecheckRequested.getClassSchema());
        assertThat(registry.takeRequest().getHeaders().get("Authorization")).isEqualTo("Basic dTpw");
        assertThat(client.config().toString()).doesNotContain("u:p");
    }

    static byte[] frame(int id, Schema schema, GenericRecord rec) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        out.write(new byte[] {0, 0, 0, 0, (byte) id});
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(rec, enc);
        enc.flush();
        return out.toByteArray();
    }
}
