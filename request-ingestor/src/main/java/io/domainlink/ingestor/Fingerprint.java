package io.domainlink.ingestor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

import io.domainlink.events.ConnectionRequested;

/**
 * The fingerprint of a request: SHA-256 of its Avro binary encoding under this build's {@code ConnectionRequested}
 * schema, with {@code requestedAt} set to 0 and the correlation map's entries sorted by key.
 *
 * <p>So a request re-published later with a fresh {@code requestedAt} is identical; any other difference (domain
 * spelling, ids, connection type, assignment, notifications, plan, any correlation entry) makes it a different
 * payload. Records written with an older or newer compatible schema are first resolved to this build's schema, so
 * the writer's schema version does not change the fingerprint.
 */
public final class Fingerprint {

    public static final int LENGTH = 32;

    private static final SpecificDatumWriter<ConnectionRequested> WRITER = new SpecificDatumWriter<>(ConnectionRequested.class);

    private Fingerprint() {
    }

    public static byte[] of(ConnectionRequested request) {
        Map<String, String> sorted = new LinkedHashMap<>(new TreeMap<>(request.getCorrelation() == null ? Map.of() : request.getCorrelation()));
        ConnectionRequested canonical = ConnectionRequested.newBuilder(request)
                .setRequestedAt(Instant.EPOCH)
                .setCorrelation(sorted)
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            WRITER.write(canonical, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(out.toByteArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** Short hex form for log lines. */
    public static String shortHex(byte[] fingerprint) {
        return fingerprint == null ? "-" : HexFormat.of().formatHex(fingerprint, 0, Math.min(6, fingerprint.length));
    }
}
