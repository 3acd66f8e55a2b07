package io.domainlink.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.domainlink.common.config.ServiceConfig;

/** The README's tables are generated from the code; this fails when they drift apart. */
class ReadmeTest {

    private static String readme() throws Exception {
        return Files.readString(Path.of("README.md"));
    }

    @Test
    void theReadmeShowsTheDefaultScheduleTheCodeRuns() throws Exception {
        assertThat(readme()).contains(Schedule.defaults().markdownTable());
    }

    @Test
    void theReadmeListsEveryConfigurationKeyWithItsDefault() throws Exception {
        String table = ServiceConfig.markdownReference(WatcherConfig.definition())
                .replace(System.getProperty("java.io.tmpdir") + "/propagation-watcher", "<java.io.tmpdir>/propagation-watcher");
        assertThat(readme()).contains(table);
    }
}
