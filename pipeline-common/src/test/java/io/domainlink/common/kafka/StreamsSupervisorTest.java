package io.domainlink.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

import com.google.common.base.Ticker;

import io.domainlink.common.config.ServiceConfig;

class StreamsSupervisorTest {

    final AtomicLong nanos = new AtomicLong();
    final Ticker ticker = new Ticker() {
        @Override
        public long read() {
            return nanos.get();
        }
    };
    final StreamsSupervisor supervisor = new StreamsSupervisor("test", 2, Duration.ofMinutes(10), 3, Duration.ofMinutes(10), ticker);

    static StreamsException inTask(String task) {
        return new StreamsException(new IllegalStateException("processor failed"), TaskId.parse(task));
    }

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void aTaskThatKeepsFailingIsReplacedUpToTheMaxThenTheInstanceStopsAndIsNotLive() {
        assertThat(supervisor.handle(inTask("0_1"))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(supervisor.handle(inTask("0_1"))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(supervisor.live().up()).isTrue();

        assertThat(supervisor.handle(inTask("0_1"))).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(supervisor.gaveUp()).contains("task 0_1").contains("3 times").contains("stream.thread.replacements.max=2");
        assertThat(supervisor.live().up()).isFalse();
        assertThat(supervisor.live().reason()).isEqualTo(supervisor.gaveUp());
        assertThat(supervisor.ready().up()).isFalse();
        assertThat(supervisor.failed()).isTrue();
        // a thread dying while the instance stops changes nothing
        assertThat(supervisor.handle(inTask("0_2"))).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() {
        supervisor.handle(inTask("0_1"));
        supervisor.handle(inTask("0_1"));
        advance(Duration.ofMinutes(10).plusMillis(1));

        assertThat(supervisor.handle(inTask("0_1"))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(supervisor.handle(inTask("0_1"))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(supervisor.handle(inTask("0_1"))).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void eachTaskHasItsOwnBudgetAndAnErrorNamingNoTaskCountsForTheWholeInstance() {
        supervisor.handle(inTask("0_1"));
        supervisor.handle(inTask("0_1"));
        assertThat(supervisor.handle(inTask("1_1"))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(supervisor.handle(new StreamsException("wrapped", inTask("1_2")))).as("the task id is found in the causes")
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);

        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        assertThat(supervisor.handle(oom)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(supervisor.handle(oom)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(supervisor.handle(oom)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(supervisor.gaveUp()).contains("the instance's stream thread").contains("OutOfMemoryError");
    }

    @Test
    void zeroReplacementsStopsAtTheFirstFailure() {
        StreamsSupervisor strict = new StreamsSupervisor("test", 0, Duration.ofMinutes(10), 1, Duration.ofMinutes(10), ticker);
        assertThat(strict.handle(inTask("0_0"))).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void aStreamThatWasNeverStartedIsLiveButNotReady() {
        assertThat(supervisor.live().up()).isTrue();
        assertThat(supervisor.ready().up()).isFalse();
        assertThat(supervisor.failed()).isFalse();
    }

    @Test
    void theKeysAreDefinedOnceWithTheirDefaultsAndMustLetARecordBeDeadLetteredBeforeTheInstanceStops() {
        ServiceConfig defaults = load(Map.of());
        assertThat(defaults.getInt(StreamsSupervisor.REPLACEMENTS_MAX)).isEqualTo(5);
        assertThat(defaults.getLong(StreamsSupervisor.REPLACEMENTS_WINDOW_MS)).isEqualTo(600_000L);
        assertThat(defaults.getInt(StreamsSupervisor.PROCESSING_ATTEMPTS_MAX)).isEqualTo(3);
        assertThat(defaults.getLong(StreamsSupervisor.STUCK_AFTER_MS)).isEqualTo(600_000L);
        StreamsSupervisor.check(defaults);

        ServiceConfig tooFew = load(Map.of("STREAM_THREAD_REPLACEMENTS_MAX", "1", "PROCESSING_ATTEMPTS_MAX", "3"));
        assertThatThrownBy(() -> StreamsSupervisor.check(tooFew)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("STREAM_THREAD_REPLACEMENTS_MAX must be at least PROCESSING_ATTEMPTS_MAX - 1");
    }

    static ServiceConfig load(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("BOOTSTRAP_SERVERS", "localhost:9092", "SCHEMA_REGISTRY_URL", "http://registry"));
        env.putAll(extra);
        return ServiceConfig.load(StreamsSupervisor.define(ServiceConfig.common()), env);
    }
}
