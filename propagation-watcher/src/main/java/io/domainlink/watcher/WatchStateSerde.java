package io.domainlink.watcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import io.domainlink.watcher.state.WatchState;

/**
 * The 'watches' store's value encoding: one format byte then Avro binary of {@link WatchState}. Internal state, so
 * no registry round trip. {@value #V2} (written) is the current schema; {@value #V1} (read from stores and changelogs
 * written before the {@code traceparent} field) is resolved from the V1 schema kept in {@code WatchState-v1.avsc}.
 */
final class WatchStateSerde {

    static final byte V1 = 1;
    static final byte V2 = 2;
    private static final SpecificDatumWriter<WatchState> WRITER = new SpecificDatumWriter<>(WatchState.class);
    private static final SpecificDatumReader<WatchState> READER = new SpecificDatumReader<>(WatchState.class);
    private static final SpecificDatumReader<WatchState> V1_READER = new SpecificDatumReader<>(v1Schema(), WatchState.getClassSchema());

    private static org.apache.avro.Schema v1Schema() {
        try (java.io.InputStream in = WatchStateSerde.class.getResourceAsStream("WatchState-v1.avsc")) {
            return new org.apache.avro.Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private WatchStateSerde() {
    }

    static Serde<WatchState> serde() {
        return Serdes.serdeFrom(serializer(), deserializer());
    }

    static Serializer<WatchState> serializer() {
        return (topic, w) -> w == null ? null : encode(w);
    }

    static Deserializer<WatchState> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }

    static byte[] encode(WatchState w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160);
        out.write(V2);
        BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            WRITER.write(w, enc);
            enc.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static WatchState decode(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != V1 && bytes[0] != V2) {
            throw new IllegalStateException("unknown watch state format " + (bytes.length == 0 ? "empty" : bytes[0]));
        }
        BinaryDecoder dec = DecoderFactory.get().binaryDecoder(bytes, 1, bytes.length - 1, null);
        try {
            return (bytes[0] == V1 ? V1_READER : READER).read(null, dec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
