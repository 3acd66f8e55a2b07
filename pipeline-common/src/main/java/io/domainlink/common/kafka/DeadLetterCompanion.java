package io.domainlink.common.kafka;

import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * What a stage writes beside a dead letter, in the same transaction: typically the {@code DomainFailed} that ends the
 * request the unreadable record belonged to, so its domain is not held in flight forever. The stage knows the request
 * only from the record's key and its internal request headers ({@link io.domainlink.common.RequestHeaders}); a record
 * without them gets no companion.
 */
@FunctionalInterface
public interface DeadLetterCompanion {

    DeadLetterCompanion NONE = (topic, key, headers, error) -> List.of();

    /**
     * @param topic the topic the unreadable record was read from
     * @param key its key bytes (may be null)
     * @param headers its headers (never null)
     * @param error why it could not be read or processed
     * @return records to write with the dead letter (empty for none); never throws
     */
    List<ProducerRecord<byte[], byte[]>> companions(String topic, byte[] key, Headers headers, Throwable error);
}
