package io.domainlink.ingestor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.domainlink.ingestor.InternalRecords.IdEntry;

/**
 * Request ids remembered until a deadline: a store by id, plus an index store keyed by
 * {@code <expiresAt as 8 big-endian bytes><id>} so purging scans only what has expired ({@code range()} up to now),
 * never the whole store.
 */
final class ExpiringIds {

    /** Most entries one purge removes, so a punctuation never stalls the stream thread for long. */
    static final int MAX_PURGE_PER_RUN = 10_000;

    private final KeyValueStore<String, IdEntry> byId;
    private final KeyValueStore<Bytes, byte[]> byExpiry;

    ExpiringIds(KeyValueStore<String, IdEntry> byId, KeyValueStore<Bytes, byte[]> byExpiry) {
        this.byId = byId;
        this.byExpiry = byExpiry;
    }

    /** The live entry for {@code id}, or null when unknown or expired (even if not purged yet). */
    IdEntry get(String id, long now) {
        IdEntry e = byId.get(id);
        return e == null || e.expiresAt() <= now ? null : e;
    }

    void put(String id, IdEntry entry) {
        IdEntry old = byId.get(id);
        if (old != null) {
            byExpiry.delete(indexKey(old.expiresAt(), id));
        }
        byId.put(id, entry);
        byExpiry.put(indexKey(entry.expiresAt(), id), new byte[0]);
    }

    /** Removes entries whose deadline is at or before {@code now}; returns how many. */
    int purge(long now) {
        int removed = 0;
        try (KeyValueIterator<Bytes, byte[]> it = byExpiry.range(indexKey(0, ""), indexKey(now + 1, ""))) {
            java.util.List<Bytes> done = new java.util.ArrayList<>();
            while (it.hasNext() && removed < MAX_PURGE_PER_RUN) {
                KeyValue<Bytes, byte[]> kv = it.next();
                ByteBuffer b = ByteBuffer.wrap(kv.key.get());
                long expiresAt = b.getLong();
                String id = new String(kv.key.get(), 8, kv.key.get().length - 8, StandardCharsets.UTF_8);
                IdEntry current = byId.get(id);
                if (current != null && current.expiresAt() == expiresAt) {
                    byId.delete(id);
                }
                done.add(kv.key);
                removed++;
            }
            done.forEach(byExpiry::delete);
        }
        return removed;
    }

    static Bytes indexKey(long expiresAt, String id) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(8 + idBytes.length).putLong(expiresAt).put(idBytes).array());
    }
}
