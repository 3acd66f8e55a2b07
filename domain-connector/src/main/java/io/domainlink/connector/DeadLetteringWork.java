package io.domainlink.connector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.common.DeadLetters;
import io.domainlink.common.kafka.DeadLetterCompanion;

/**
 * The connector's answer to a {@link RuntimeException} that escapes the record handler — a bug, since the handler
 * turns every expected failure into a result: the record ends with a dead letter of its raw bytes plus what the
 * {@link DeadLetterCompanion} writes beside it (the {@code DomainFailed} that frees its domain), so its partition is
 * committed past it instead of stalling behind it; counted in {@code domainlink.connector.unexpected.errors}.
 * A {@link CancellationException} (dropped work) and {@link Error}s pass through: an Error is fatal to the loop.
 */
final class DeadLetteringWork implements ConnectorLoop.Work {

    private static final Logger log = LoggerFactory.getLogger(DeadLetteringWork.class);

    private final ConnectorLoop.Work work;
    private final DeadLetterCompanion companion;
    private final ConnectorMetrics metrics;

    DeadLetteringWork(ConnectorLoop.Work work, DeadLetterCompanion companion, ConnectorMetrics metrics) {
        this.work = work;
        this.companion = companion;
        this.metrics = metrics;
    }

    @Override
    public Processed handle(ConsumerRecord<byte[], byte[]> record) {
        try {
            return work.handle(record);
        } catch (CancellationException e) {
            throw e;
        } catch (RuntimeException e) {
            return deadLetter(record, e);
        }
    }

    private Processed deadLetter(ConsumerRecord<byte[], byte[]> record, RuntimeException error) {
        String at = record.topic() + "-" + record.partition() + "@" + record.offset();
        log.error("Unexpected error handling a record, it goes to the dead-letter topic at={} error={}", at, error.toString(), error);
        metrics.unexpectedError();
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        out.add(DeadLetters.record(DomainConnectorApp.STAGE, record.topic(), record.partition(), record.offset(),
                record.timestamp(), record.key(), record.value(), record.headers(), error));
        try {
            out.addAll(companion.companions(record.topic(), record.key(), record.headers(), error));
        } catch (RuntimeException e) {
            log.error("The dead-letter companion failed, the dead letter goes alone at={} error={}", at, e.toString(), e);
        }
        return new Processed(out, false, false, null, null, true);
    }
}
