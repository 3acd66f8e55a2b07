package io.domainlink.connector;

import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.domainlink.events.FailureReason;

/**
 * The serialized records one input record leads to, ready to be sent in the transaction that commits its offset,
 * and what they are (for the counters).
 *
 * @param packageCanceled the failure's {@code packageCanceled}: true when its package was cancelled, false when that
 *     failed, null when there was nothing to cancel or compensation is off
 */
record Processed(List<ProducerRecord<byte[], byte[]>> records, boolean configured, boolean ownerAction,
                 FailureReason failure, Boolean packageCanceled, boolean deadLetter) {

    Processed {
        records = List.copyOf(records);
    }
}
