package io.domainlink.connector;

import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.domainlink.events.FailureReason;

/**
 * The serialized records one input record leads to, ready to be sent in the transaction that commits its offset,
 * and what they are (for the counters).
 */
record Processed(List<ProducerRecord<byte[], byte[]>> records, boolean configured, boolean ownerAction,
                 FailureReason failure, boolean deadLetter) {

    Processed {
        records = List.copyOf(records);
    }
}
