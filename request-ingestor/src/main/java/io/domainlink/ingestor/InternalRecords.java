package io.domainlink.ingestor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import io.domainlink.common.Topics;
import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionRequested;

/**
 * The ingestor's private records (state store values and the by-domain repartition value) and their serdes.
 * Each binary form starts with a version byte so a later build can read what an earlier one wrote. Avro events
 * inside them are framed with the registry under the public topic's subject, so internal topics need no schema
 * registration of their own.
 */
final class InternalRecords {

    static final byte VERSION = 1;

    private InternalRecords() {
    }

    /** A remembered request id: the fingerprint first seen with it, when it is forgotten, and the verdict. */
    record IdEntry(byte[] fingerprint, long expiresAt, boolean valid) {
        boolean sameFingerprint(byte[] other) {
            return Arrays.equals(fingerprint, other);
        }
    }

    /** Per normalized domain: the admitted request without an outcome yet (null id when none) and the last generation. */
    record DomainState(String activeRequestId, byte[] activeFingerprint, long generation, long activeSince) {
        static final DomainState EMPTY = new DomainState(null, null, 0, 0);

        boolean inFlight() {
            return activeRequestId != null;
        }

        DomainState admit(String requestId, byte[] fingerprint, long now) {
            return new DomainState(requestId, fingerprint, generation + 1, now);
        }

        DomainState ended() {
            return new DomainState(null, null, generation, 0);
        }
    }

    /** A valid, non-conflicting request on its way to the in-flight guard. */
    record Admission(byte[] fingerprint, ConnectionAccepted accepted) {
    }

    static Serde<IdEntry> idEntrySerde() {
        return Serdes.serdeFrom(
                (topic, e) -> e == null ? null : ByteBuffer.allocate(1 + 1 + e.fingerprint().length + 8 + 1)
                        .put(VERSION).put((byte) e.fingerprint().length).put(e.fingerprint())
                        .putLong(e.expiresAt()).put((byte) (e.valid() ? 1 : 0)).array(),
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    ByteBuffer b = versioned(bytes);
                    byte[] fp = new byte[b.get()];
                    b.get(fp);
                    return new IdEntry(fp, b.getLong(), b.get() == 1);
                });
    }

    static Serde<DomainState> domainStateSerde() {
        return Serdes.serdeFrom(
                (topic, s) -> {
                    if (s == null) {
                        return null;
                    }
                    byte[] id = s.activeRequestId() == null ? new byte[0] : s.activeRequestId().getBytes(StandardCharsets.UTF_8);
                    byte[] fp = s.activeFingerprint() == null ? new byte[0] : s.activeFingerprint();
                    return ByteBuffer.allocate(1 + 8 + 8 + 1 + 4 + id.length + 1 + fp.length)
                            .put(VERSION).putLong(s.generation()).putLong(s.activeSince())
                            .put((byte) (s.inFlight() ? 1 : 0)).putInt(id.length).put(id).put((byte) fp.length).put(fp).array();
                },
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    ByteBuffer b = versioned(bytes);
                    long generation = b.getLong();
                    long since = b.getLong();
                    boolean active = b.get() == 1;
                    byte[] id = new byte[b.getInt()];
                    b.get(id);
                    byte[] fp = new byte[b.get()];
                    b.get(fp);
                    return active ? new DomainState(new String(id, StandardCharsets.UTF_8), fp, generation, since)
                            : new DomainState(null, null, generation, 0);
                });
    }

    /** {@code [version][fingerprint length][fingerprint][ConnectionAccepted framed as on the accepted topic]}. */
    static Serde<Admission> admissionSerde(Serde<ConnectionAccepted> accepted) {
        Serializer<ConnectionAccepted> inner = accepted.serializer();
        Deserializer<ConnectionAccepted> innerDe = accepted.deserializer();
        return Serdes.serdeFrom(
                (topic, a) -> {
                    if (a == null) {
                        return null;
                    }
                    byte[] event = inner.serialize(Topics.ACCEPTED.name(), a.accepted());
                    return ByteBuffer.allocate(1 + 1 + a.fingerprint().length + event.length)
                            .put(VERSION).put((byte) a.fingerprint().length).put(a.fingerprint()).put(event).array();
                },
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    ByteBuffer b = versioned(bytes);
                    byte[] fp = new byte[b.get()];
                    b.get(fp);
                    byte[] event = new byte[b.remaining()];
                    b.get(event);
                    return new Admission(fp, innerDe.deserialize(Topics.ACCEPTED.name(), event));
                });
    }

    /** The request serde for the by-request-id repartition topic: framed under the requests topic's own subject. */
    static Serde<ConnectionRequested> requestRepartitionSerde(Serde<ConnectionRequested> requests) {
        Serializer<ConnectionRequested> s = requests.serializer();
        Deserializer<ConnectionRequested> d = requests.deserializer();
        return Serdes.serdeFrom((topic, r) -> s.serialize(Topics.REQUESTS.name(), r),
                (topic, bytes) -> d.deserialize(Topics.REQUESTS.name(), bytes));
    }

    private static ByteBuffer versioned(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte v = b.get();
        if (v != VERSION) {
            throw new SerializationException("internal record version " + v + " is not known to this build (knows " + VERSION + ")");
        }
        return b;
    }
}
