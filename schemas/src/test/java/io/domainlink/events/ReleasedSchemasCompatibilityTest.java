package io.domainlink.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every schema of the contract must be FULL_TRANSITIVE compatible with all its released versions, kept in
 * {@code src/released/<Contract>/v<N>.avsc}. A breaking change therefore fails the build.
 *
 * <p>Releasing: {@code mvn -pl schemas test -Dschemas.release=true} writes the current schema as the next version
 * of every contract whose schema changed since its latest release (run it when a change ships).
 */
class ReleasedSchemasCompatibilityTest {

    static final Path RELEASED = Path.of(System.getProperty("schemas.released.dir", "src/released"));

    @TestFactory
    Stream<DynamicTest> everyContractIsFullyCompatibleWithAllItsReleasedVersions() {
        return EventContract.VALUE_SCHEMAS.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            List<Schema> released = released(e.getKey());
            assertThat(released).as("released versions of %s in %s", e.getKey(), RELEASED).isNotEmpty();
            assertThat(SchemaCompatibilityCheck.fullTransitiveProblems(e.getValue(), released))
                    .as("%s must stay FULL_TRANSITIVE compatible", e.getKey())
                    .isEmpty();
        }));
    }

    @Test
    void releasesChangedSchemasWhenAsked() throws IOException {
        if (!Boolean.getBoolean("schemas.release")) {
            return;
        }
        for (Map.Entry<String, Schema> e : EventContract.VALUE_SCHEMAS.entrySet()) {
            List<Schema> released = released(e.getKey());
            if (!released.isEmpty() && released.get(released.size() - 1).equals(e.getValue())) {
                continue;
            }
            Path file = RELEASED.resolve(e.getKey()).resolve("v" + (released.size() + 1) + ".avsc");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue().toString(true) + "\n", StandardCharsets.UTF_8);
            System.out.println("released " + file);
        }
    }

    static List<Schema> released(String contract) {
        Path dir = RELEASED.resolve(contract);
        List<Schema> versions = new ArrayList<>();
        for (int v = 1; Files.exists(dir.resolve("v" + v + ".avsc")); v++) {
            try {
                versions.add(new Schema.Parser().parse(Files.readString(dir.resolve("v" + v + ".avsc"))));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return versions;
    }
}
