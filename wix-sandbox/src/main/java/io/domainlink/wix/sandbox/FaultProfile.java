package io.domainlink.wix.sandbox;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/** What faults to inject. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FaultProfile {
    /** Fixed latency added to every call. */
    public long latencyMs = 0;
    /** Uniformly random extra latency in [0, latencyJitterMs]. */
    public long latencyJitterMs = 0;
    /** Fraction of calls whose connection is closed without any response. */
    public double dropConnectionRate = 0;
    /** Fraction of calls answered with a 5xx (C2 body). */
    public double serverErrorRate = 0;
    /** Statuses a 5xx fault picks from, uniformly. */
    public List<Integer> serverErrorStatuses = new ArrayList<>(List.of(500, 503));
    /** Fraction of calls answered 429 {@code RESOURCE_EXHAUSTED} (C15). */
    public double tooManyRequestsRate = 0;
    /** {@code Retry-After} seconds sent with a 429 fault. */
    public int retryAfterSeconds = 1;

    @JsonIgnore
    boolean isQuiet() {
        return latencyMs == 0 && latencyJitterMs == 0 && dropConnectionRate == 0 && serverErrorRate == 0
                && tooManyRequestsRate == 0;
    }

    void collectProblems(String where, List<String> problems) {
        checkRate(where + ".dropConnectionRate", dropConnectionRate, problems);
        checkRate(where + ".serverErrorRate", serverErrorRate, problems);
        checkRate(where + ".tooManyRequestsRate", tooManyRequestsRate, problems);
        if (latencyMs < 0 || latencyJitterMs < 0) {
            problems.add(where + ": latencies must be >= 0");
        }
        if (retryAfterSeconds < 0) {
            problems.add(where + ".retryAfterSeconds must be >= 0");
        }
        if (serverErrorStatuses == null || serverErrorStatuses.isEmpty()
                || serverErrorStatuses.stream().anyMatch(s -> s == null || s < 500 || s > 599)) {
            problems.add(where + ".serverErrorStatuses must be a non-empty list of 5xx statuses");
        }
    }

    private static void checkRate(String name, double rate, List<String> problems) {
        if (!(rate >= 0 && rate <= 1)) {
            problems.add(name + " must be within [0, 1]");
        }
    }
}
