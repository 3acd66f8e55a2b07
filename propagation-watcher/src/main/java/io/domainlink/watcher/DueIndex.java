package io.domainlink.watcher;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the time-ordered 'due-index' store, which holds two indexes of the active watches:
 * <ul>
 *   <li><b>due checks</b>: 8-byte big-endian due time (ms), then the domain's UTF-8 bytes;</li>
 *   <li><b>deadlines</b>: the byte {@code 0x01}, 8-byte big-endian expiry time (ms), then the domain's UTF-8 bytes.</li>
 * </ul>
 * RocksDB orders keys bytewise, so a range scan from {@link #from()} to {@link #upTo(long)} yields exactly the due
 * entries, oldest first, at a cost proportional to their number (times are positive, so big-endian order is numeric
 * order), and {@link #deadlinesFrom()} to {@link #deadlinesUpTo(long)} the expired deadlines. The two never mix: a due
 * key starts with the top byte of a millisecond time, {@code 0x00} until the year 2 280 000, a deadline key with
 * {@code 0x01}. One store rather than two keeps one RocksDB instance and one changelog per task: a third store per task
 * made loading a million watches in {@code WatcherScaleBenchmark} take 237 s instead of 37-49 s (more RocksDB
 * instances under the one shared write-buffer budget).
 */
final class DueIndex {

    static final byte[] EMPTY = new byte[0];
    private static final byte DEADLINE = 0x01;

    private DueIndex() {
    }

    static Bytes key(long dueAt, String domain) {
        return encode(0, dueAt, domain);
    }

    static long dueAt(Bytes key) {
        return time(0, key);
    }

    static String domain(Bytes key) {
        return domain(0, key);
    }

    static Bytes from() {
        return Bytes.wrap(new byte[8]);
    }

    /** Upper bound (inclusive) that covers every entry due at or before {@code now}. */
    static Bytes upTo(long now) {
        return Bytes.wrap(ByteBuffer.allocate(8).putLong(now + 1).array());
    }

    static Bytes deadlineKey(long expiryAt, String domain) {
        return encode(1, expiryAt, domain);
    }

    static boolean isDeadline(Bytes key) {
        return key.get().length > 8 && key.get()[0] == DEADLINE;
    }

    static long deadlineAt(Bytes deadlineKey) {
        return time(1, deadlineKey);
    }

    static String deadlineDomain(Bytes deadlineKey) {
        return domain(1, deadlineKey);
    }

    /** {@code prefix} bytes ({@link #DEADLINE} for a deadline key, none for a due key), the time, the domain. */
    private static Bytes encode(int prefix, long at, String domain) {
        byte[] d = domain.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(prefix + 8 + d.length);
        if (prefix == 1) {
            b.put(DEADLINE);
        }
        return Bytes.wrap(b.putLong(Math.max(0, at)).put(d).array());
    }

    private static long time(int prefix, Bytes key) {
        return ByteBuffer.wrap(key.get(), prefix, 8).getLong();
    }

    private static String domain(int prefix, Bytes key) {
        byte[] k = key.get();
        return new String(k, prefix + 8, k.length - prefix - 8, StandardCharsets.UTF_8);
    }

    static Bytes deadlinesFrom() {
        return Bytes.wrap(ByteBuffer.allocate(9).put(DEADLINE).putLong(0).array());
    }

    /** Upper bound (inclusive) that covers every deadline at or before {@code now}. */
    static Bytes deadlinesUpTo(long now) {
        return Bytes.wrap(ByteBuffer.allocate(9).put(DEADLINE).putLong(now + 1).array());
    }
}
