package io.domainlink.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaRegistryJarLocationTest {

    @TempDir
    Path tmp;

    @Test
    void prefersTheSystemProperty() throws Exception {
        Path jar = Files.createFile(tmp.resolve("custom.jar"));
        assertThat(SchemaRegistryProcess.locateJar(jar.toString(), tmp, tmp.resolve("repo"), "1.0")).isEqualTo(jar);
    }

    @Test
    void rejectsASystemPropertyThatNamesNoFile() {
        assertThatThrownBy(() -> SchemaRegistryProcess.locateJar(tmp.resolve("nope.jar").toString(), tmp, tmp, "1.0"))
                .hasMessageContaining("domainlink.registry.jar");
    }

    @Test
    void findsTheReactorJarWalkingUpFromAModuleDirectory() throws Exception {
        Path jar = tmp.resolve("registry-server/target/registry-server-runner.jar");
        Files.createDirectories(jar.getParent());
        Files.createFile(jar);
        Path module = Files.createDirectories(tmp.resolve("domain-connector/sub"));
        assertThat(SchemaRegistryProcess.locateJar(null, module, tmp.resolve("repo"), "1.0")).isEqualTo(jar);
    }

    @Test
    void fallsBackToTheLocalRepository() throws Exception {
        Path repo = tmp.resolve("repo");
        Path jar = repo.resolve("io/domainlink/registry-server/1.0/registry-server-1.0-runner.jar");
        Files.createDirectories(jar.getParent());
        Files.createFile(jar);
        Path dir = Files.createDirectories(tmp.resolve("elsewhere"));
        assertThat(SchemaRegistryProcess.locateJar(null, dir, repo, "1.0")).isEqualTo(jar);
    }

    @Test
    void namesEveryTriedPathWhenMissing() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("a/b"));
        assertThatThrownBy(() -> SchemaRegistryProcess.locateJar(null, dir, tmp.resolve("repo"), "1.0"))
                .hasMessageContaining(dir.resolve("registry-server/target/registry-server-runner.jar").toString())
                .hasMessageContaining(tmp.resolve("registry-server/target/registry-server-runner.jar").toString())
                .hasMessageContaining("registry-server-1.0-runner.jar")
                .hasMessageContaining("mvn -B -pl registry-server install");
    }

    @Test
    void knowsItsOwnVersion() {
        assertThat(SchemaRegistryProcess.projectVersion()).isEqualTo("0.1.0-SNAPSHOT");
    }
}
