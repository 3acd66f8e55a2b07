package io.domainlink.common.kafka;

import java.time.Duration;

import com.google.common.base.Ticker;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;

/**
 * How many times each input record has failed processing, by its coordinates (topic, partition, offset). One instance
 * is shared by every stream thread of a Kafka Streams instance (passed to {@link DeadLetterProcessingHandler} as a
 * configuration object), so a count survives the replacement of the thread that failed. Bounded: at most
 * {@value #MAX_RECORDS} records, each forgotten one window after its last failure.
 */
public final class ProcessingFailures {

    static final int MAX_RECORDS = 10_000;

    private record At(String topic, int partition, long offset) {
    }

    private final Cache<At, Integer> counts;

    public ProcessingFailures(Duration window) {
        this(window, Ticker.systemTicker());
    }

    ProcessingFailures(Duration window, Ticker ticker) {
        this.counts = CacheBuilder.newBuilder().maximumSize(MAX_RECORDS).expireAfterWrite(window).ticker(ticker).build();
    }

    /** Records one more failure of the record; returns how many it has had within the window, this one included. */
    public int failed(String topic, int partition, long offset) {
        return counts.asMap().merge(new At(topic, partition, offset), 1, Integer::sum);
    }

    /** Forgets the record (it was dead-lettered). */
    public void forget(String topic, int partition, long offset) {
        counts.invalidate(new At(topic, partition, offset));
    }

    /** Records with a failure within the window (approximate: expired entries may linger until the next access). */
    public long size() {
        return counts.size();
    }
}
