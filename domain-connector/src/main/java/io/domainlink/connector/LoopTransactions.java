package io.domainlink.connector;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector loop's Kafka transactions: one transaction sends the results of each partition's completed prefix and
 * commits the offsets after it ({@code sendOffsetsToTransaction(..., consumer.groupMetadata())}). A fenced producer
 * or another error the producer cannot recover from is a {@link FatalError}; any other {@code KafkaException} aborts.
 */
final class LoopTransactions {

    /** Fatal for the instance: the loop stops without committing. */
    static final class FatalError extends RuntimeException {
        FatalError(Throwable cause) {
            super(cause);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(LoopTransactions.class);

    private final Producer<byte[], byte[]> producer;
    private final Consumer<byte[], byte[]> consumer;
    private final ConnectorLoop.BeforeCommit beforeCommit;
    private final ConnectorMetrics metrics;
    private final BooleanSupplier halted;

    LoopTransactions(Producer<byte[], byte[]> producer, Consumer<byte[], byte[]> consumer, ConnectorLoop.BeforeCommit beforeCommit,
                     ConnectorMetrics metrics, BooleanSupplier halted) {
        this.producer = producer;
        this.consumer = consumer;
        this.beforeCommit = beforeCommit;
        this.metrics = metrics;
        this.halted = halted;
    }

    /**
     * Publishes the releases with their offsets in one transaction.
     *
     * @return true when committed; false when it failed and was aborted (the caller rewinds those partitions)
     * @throws FatalError when the producer cannot go on
     */
    boolean publish(Map<TopicPartition, PartitionProgress.Release<Processed>> releases) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        releases.forEach((tp, r) -> offsets.put(tp, new OffsetAndMetadata(r.nextOffset())));
        try {
            producer.beginTransaction();
            for (PartitionProgress.Release<Processed> r : releases.values()) {
                for (Processed p : r.results()) {
                    for (ProducerRecord<byte[], byte[]> out : p.records()) {
                        producer.send(out);
                    }
                }
            }
            beforeCommit.run();
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException | FencedInstanceIdException | OutOfOrderSequenceException | AuthorizationException
                 | UnsupportedVersionException e) {
            throw new FatalError(e);
        } catch (KafkaException e) {
            if (halted.getAsBoolean()) {
                throw e;
            }
            log.warn("Transaction failed, aborting and rewinding partitions={} error={}", offsets.keySet(), e.toString());
            abort();
            return false;
        }
        releases.values().forEach(r -> r.results().forEach(metrics::published));
        metrics.committed();
        if (log.isDebugEnabled()) {
            log.debug("Committed offsets={}", offsets);
        }
        return true;
    }

    private void abort() {
        try {
            producer.abortTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException | FencedInstanceIdException | OutOfOrderSequenceException | AuthorizationException
                 | UnsupportedVersionException e) {
            throw new FatalError(e);
        }
        metrics.aborted();
    }
}
