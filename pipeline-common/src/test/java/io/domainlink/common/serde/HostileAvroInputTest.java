package io.domainlink.common.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;

import org.apache.avro.SystemLimitException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.domainlink.common.registry.RegistryConfig;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.events.RecheckRequested;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;

/**
 * Crafted length prefixes and oversized records are poison (a {@link SerdeException} a stage dead-letters), never an
 * {@link OutOfMemoryError}: without Avro's limits a string length of 2^30 allocates a gigabyte before it fails.
 */
class HostileAvroInputTest {

    @StartStop
    final MockWebServer registry = new MockWebServer();
    SchemaRegistryClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    AvroDeserializer<RecheckRequested> deserializer() {
        // the writer schema of id 9 is the reader's own
        String schema = RecheckRequested.getClassSchema().toString().replace("\\", "\\\\").replace("\"", "\\\"");
        registry.enqueue(new MockResponse.Builder().code(200).body("{\"schema\":\"" + schema + "\"}").build());
        client = new SchemaRegistryClient(new RegistryConfig(registry.url("/").toString(), null, null, null, Duration.ofMillis(300)));
        return new AvroDeserializer<>(client, RecheckRequested.getClassSchema());
    }

    /** A frame for schema id 9 whose body is {@code body}. */
    static byte[] frame(byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(9).put(body).array();
    }

    /** Avro's zig-zag varint of {@code n}. */
    static byte[] varint(long n) {
        long z = (n << 1) ^ (n >> 63);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((z & ~0x7FL) != 0) {
            out.write((int) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        out.write((int) z);
        return out.toByteArray();
    }

    @Test
    void aStringLengthOf2To30IsAnUndecodablePayloadNotAnAllocation() {
        // RecheckRequested starts with its domain string: its length prefix claims a gigabyte
        byte[] bytes = frame(varint(1L << 30));
        assertThatThrownBy(() -> deserializer().deserialize("domains.rechecks", bytes))
                .isInstanceOfSatisfying(SerdeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(SerdeException.Kind.UNDECODABLE_PAYLOAD);
                    assertThat(e.poison()).isTrue();
                });
    }

    @Test
    void aMapCountOf2To27IsAnUndecodablePayload() {
        // domain "a", requestId null (union branch 0), then the correlation map claims 2^27 entries
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(varint(1));
        body.write('a');
        body.writeBytes(varint(0));
        body.writeBytes(varint(1L << 27));
        byte[] bytes = frame(body.toByteArray());
        assertThatThrownBy(() -> deserializer().deserialize("domains.rechecks", bytes))
                .isInstanceOfSatisfying(SerdeException.class, e -> assertThat(e.kind()).isEqualTo(SerdeException.Kind.UNDECODABLE_PAYLOAD));
    }

    @Test
    void aTruncatedBodyIsAnUndecodablePayload() {
        byte[] bytes = frame(varint(11));
        assertThatThrownBy(() -> deserializer().deserialize("domains.rechecks", bytes))
                .isInstanceOfSatisfying(SerdeException.class, e -> assertThat(e.kind()).isEqualTo(SerdeException.Kind.UNDECODABLE_PAYLOAD));
    }

    @Test
    void aValueOrHeadersOverTheInputLimitAreRefusedBeforeDecodingWithoutACallToTheRegistry() {
        client = new SchemaRegistryClient(new RegistryConfig(registry.url("/").toString(), null, null, null, Duration.ofMillis(300)));
        AvroDeserializer<RecheckRequested> small = new AvroDeserializer<>(client, RecheckRequested.getClassSchema(), 4096);
        assertThatThrownBy(() -> small.deserialize("domains.rechecks", new RecordHeaders(), frame(new byte[5000])))
                .isInstanceOfSatisfying(SerdeException.class, e -> assertThat(e.kind()).isEqualTo(SerdeException.Kind.RECORD_TOO_LARGE));
        RecordHeaders headers = new RecordHeaders();
        headers.add("x-padding", new byte[4000]);
        assertThatThrownBy(() -> small.deserialize("domains.rechecks", headers, frame(new byte[200])))
                .isInstanceOfSatisfying(SerdeException.class, e -> assertThat(e.kind()).isEqualTo(SerdeException.Kind.RECORD_TOO_LARGE));
        assertThat(registry.getRequestCount()).isZero();
    }

    @Test
    void avrosLimitsAreInForceInThisJvmOnceADeserializerExists() {
        deserializer();
        assertThatThrownBy(() -> SystemLimitException.checkMaxStringLength(AvroLimits.DEFAULT_INPUT_MAX_BYTES + 1L))
                .isInstanceOf(SystemLimitException.class);
    }
}
