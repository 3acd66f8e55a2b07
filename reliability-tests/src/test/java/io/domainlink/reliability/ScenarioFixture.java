package io.domainlink.reliability;

import org.junit.jupiter.api.AfterAll;

/**
 * What every scenario class shares: the {@link Scenarios} its {@code @BeforeAll} starts (sandbox, pipeline, upstream,
 * verifier), closed after the class. Scenario classes run one at a time, so the field belongs to the running class.
 */
abstract class ScenarioFixture {

    static Scenarios s;

    @AfterAll
    static void closeScenarios() {
        if (s != null) {
            s.close();
            s = null;
        }
    }
}
