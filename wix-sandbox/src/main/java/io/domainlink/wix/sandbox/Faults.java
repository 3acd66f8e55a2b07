package io.domainlink.wix.sandbox;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * Fault injection for the Wix API paths (never for {@code /_sandbox/}). The fields of this class are the global
 * profile; {@link #overrides} replace it for matching calls (the first matching override wins). Each call draws from
 * one {@link java.util.Random}, seeded with {@link #seed} when it is set, so a seeded run repeats its faults.
 *
 * <p>Per call, in this order: latency is added; then the connection is dropped with probability
 * {@code dropConnectionRate}; else a 5xx is answered with probability {@code serverErrorRate}; else a 429 with
 * probability {@code tooManyRequestsRate}; else the call is served normally.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Faults extends FaultProfile {
    /** Seed for the fault dice; null: seeded from the time. Setting faults with a seed re-seeds. */
    public Long seed;
    /** Profiles for some accounts, domains or endpoints. */
    public List<FaultOverride> overrides = new ArrayList<>();

    /** No faults at all. */
    public static Faults none() {
        return new Faults();
    }

    /** The profile that applies to a call. */
    FaultProfile profileFor(String account, String domain, Endpoint endpoint) {
        for (FaultOverride o : overrides) {
            if (o.matches(account, domain, endpoint)) {
                return o;
            }
        }
        return this;
    }

    @Override
    void collectProblems(String where, List<String> problems) {
        super.collectProblems(where, problems);
        for (int i = 0; i < overrides.size(); i++) {
            overrides.get(i).collectProblems(where + ".overrides[" + i + "]", problems);
        }
    }

    /** Fails fast on invalid faults, naming every problem. */
    public void validate() {
        List<String> problems = new ArrayList<>();
        collectProblems("faults", problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid faults: " + String.join("; ", problems));
        }
    }

    // ---- fluent helpers ----

    public Faults seed(long seed) {
        this.seed = seed;
        return this;
    }

    public Faults latency(long fixedMs, long jitterMs) {
        this.latencyMs = fixedMs;
        this.latencyJitterMs = jitterMs;
        return this;
    }

    public Faults dropConnectionRate(double rate) {
        this.dropConnectionRate = rate;
        return this;
    }

    public Faults serverErrorRate(double rate) {
        this.serverErrorRate = rate;
        return this;
    }

    public Faults tooManyRequestsRate(double rate, int retryAfterSeconds) {
        this.tooManyRequestsRate = rate;
        this.retryAfterSeconds = retryAfterSeconds;
        return this;
    }

    public Faults override(FaultOverride override) {
        overrides.add(override);
        return this;
    }

    public Faults copy() {
        return Json.copy(this, Faults.class);
    }
}
