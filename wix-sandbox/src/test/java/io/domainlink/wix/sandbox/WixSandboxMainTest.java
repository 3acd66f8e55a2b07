package io.domainlink.wix.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WixSandboxMainTest {
    static final String SCENARIO = """
            {"apiKeys": {"demo-key": ["*"]}, "allSitesPremium": true,
             "rules": [{"pattern": "*.fail.test", "propagation": "FAILED"}]}
            """;

    @Test
    void startsFromArgumentsWithAScenarioFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("scenario.json");
        Files.writeString(file, SCENARIO);

        long start = System.nanoTime();
        try (WixSandbox sandbox = WixSandboxMain.start("--port", "0", "--scenario", file.toString())) {
            long startedMs = (System.nanoTime() - start) / 1_000_000;

            // typically ~200 ms cold and a few ms warm; the bound is loose so a busy CI machine can't fail it
            System.err.println("wix-sandbox in-process start took " + startedMs + " ms");
            assertThat(startedMs).isLessThan(5000);
            assertThat(sandbox.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+");
            assertThat(sandbox.scenario().apiKeys).containsOnlyKeys("demo-key");
            assertThat(sandbox.scenario().rules).hasSize(1);
        }
    }

    @Test
    void runsAsAProcessPrintsTheBaseUrlAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Path stderr = dir.resolve("stderr.log");
        long start = System.nanoTime();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                WixSandboxMain.class.getName(), "--port", "0").redirectError(stderr.toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String baseUrl = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    return null;
                }
            }).get(20, TimeUnit.SECONDS);
            assertThat(baseUrl).matches("http://127\\.0\\.0\\.1:\\d+");
            System.err.println("wix-sandbox process printed its URL after " + (System.nanoTime() - start) / 1_000_000
                    + " ms (JVM start included)");

            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(baseUrl + "/domains/v1/connected-domains"))
                    .header("Authorization", Scenario.DEFAULT_API_KEY)
                    .header("wix-account-id", WixHttp.ACCOUNT).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);

            process.destroy(); // SIGTERM
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isIn(0, 143);
            assertThat(Files.readString(stderr)).contains("Wix sandbox started").contains("Wix sandbox stopped");
        } finally {
            process.destroyForcibly();
        }
    }
}
