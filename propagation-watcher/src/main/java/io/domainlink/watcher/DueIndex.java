package io.domainlink.watcher;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the time-ordered 'due-index' store: 8-byte big-endian due time (ms) then the domain's UTF-8 bytes.
 * RocksDB orders keys bytewise, so a range scan from {@link #from()} to {@link #upTo(long)} yields exactly the due
 * entries, oldest first, at a cost proportional to their number (times are positive, so big-endian order is
 * numeric order).
 */
final class DueIndex {

    static final byte[] EMPTY = new byte[0];

    private DueIndex() {
    }

    static Bytes key(long dueAt, String domain) {
        byte[] d = domain.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(8 + d.length).putLong(Math.max(0, dueAt)).put(d).array());
    }

    static long dueAt(Bytes key) {
        return ByteBuffer.wrap(key.get(), 0, 8).getLong();
    }

    static String domain(Bytes key) {
        byte[] k = key.get();
        return new String(k, 8, k.length - 8, StandardCharsets.UTF_8);
    }

    static Bytes from() {
        return Bytes.wrap(new byte[8]);
    }

    /** Upper bound (inclusive) that covers every entry due at or before {@code now}. */
    static Bytes upTo(long now) {
        return Bytes.wrap(ByteBuffer.allocate(8).putLong(now + 1).array());
    }
}
