package io.domainlink.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {

    @Test
    void serverPropertiesRunOneCombinedKraftNodeOnTheChosenPortsWithDataInTheDataFolder(@TempDir Path dir) throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(KafkaBroker.serverProperties(dir.resolve("kafka"), 19092, 19093)));

        assertThat(p.getProperty("process.roles")).isEqualTo("broker,controller");
        assertThat(p.getProperty("listeners")).isEqualTo("PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093");
        assertThat(p.getProperty("controller.quorum.bootstrap.servers")).isEqualTo("127.0.0.1:19093");
        assertThat(p.getProperty("log.dirs")).isEqualTo(dir.resolve("kafka").toAbsolutePath().toString());
        assertThat(p.getProperty("transaction.state.log.replication.factor")).isEqualTo("1");
        assertThat(p.getProperty("auto.create.topics.enable")).isEqualTo("false");
    }

    @Test
    void storageCountsAsFormattedOnlyOnceMetaPropertiesExists(@TempDir Path dir) throws Exception {
        assertThat(KafkaBroker.isFormatted(dir)).isFalse();
        Files.writeString(dir.resolve("meta.properties"), "node.id=1\n");
        assertThat(KafkaBroker.isFormatted(dir)).isTrue();
    }
}
