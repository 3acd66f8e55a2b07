package io.domainlink.ingestor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.ingestor.InternalRecords.IdEntry;

/**
 * Request ids remembered until a deadline: a store by id, plus an index store keyed by
 * {@code <expiresAt as 8 big-endian bytes><id>} so purging scans only what has expired ({@code range()} up to now),
 * never the whole store.
 */
final class ExpiringIds {

    private static final Logger log = LoggerFactory.getLogger(ExpiringIds.class);

    /** Most entries one purge removes, so a punctuation never stalls the stream thread for long. */
    static final int MAX_PURGE_PER_RUN = 10_000;

    private final KeyValueStore<String, IdEntry> byId;
    private final KeyValueStore<Bytes, byte[]> byExpiry;

    ExpiringIds(KeyValueStore<String, IdEntry> byId, KeyValueStore<Bytes, byte[]> byExpiry) {
        this.byId = byId;
        this.byExpiry = byExpiry;
    }

    /**
     * Purges on a wall-clock punctuation every {@code interval} for the processor of {@code context}; counts each run in
     * {@code metrics} and logs the runs that removed something, naming {@code storeName}.
     */
    void schedulePurge(ProcessorContext<?, ?> context, Duration interval, IngestorMetrics metrics, String storeName) {
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, now -> {
            int n = purge(now);
            metrics.purged(n);
            if (n > 0) {
                log.info("purged expired ids count={} store={}", n, storeName);
            }
        });
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
