package io.domainlink.wix.sandbox;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything that decides how the sandbox answers: who may call, which sites are premium, the product catalog, the
 * choices where the reference is unconfirmed, the propagation model, scripted outcomes per domain and faults.
 * Read from JSON (scenario file, {@code PUT /_sandbox/scenario}); unknown properties are rejected so that typos
 * surface. Fields left out keep their defaults.
 *
 * <p>The sandbox never shares a live instance: it copies the scenario it is given and hands out copies, and
 * {@link WixSandbox#updateScenario} applies a change atomically.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Scenario {
    public static final String DEFAULT_API_KEY = "sandbox-api-key";
    public static final String DEFAULT_PREMIUM_PRODUCT = "00ba7923-2655-402a-852d-2b2100568bcf";

    /** API key → account ids it may act for; {@code "*"} allows every account. */
    public Map<String, List<String>> apiKeys = new LinkedHashMap<>(Map.of(DEFAULT_API_KEY, new ArrayList<>(List.of("*"))));
    /** Every site counts as premium (C18). */
    public boolean allSitesPremium = false;
    /** Site ids that are premium from the start (C18). */
    public Set<String> premiumSites = new LinkedHashSet<>();
    /** Product ids whose package makes the site premium (C18). */
    public List<String> premiumCatalog = new ArrayList<>(List.of(DEFAULT_PREMIUM_PRODUCT));
    /** Further known product ids that do not make a site premium. Any other id: 404 {@code PRODUCT_NOT_FOUND}. */
    public List<String> otherProducts = new ArrayList<>();
    /** Answer to an identical re-create of a connected domain (C5). */
    public IdenticalRecreate identicalRecreate = IdenticalRecreate.OK;
    /** Shape of a NAMESERVERS domain's setup info (C11). */
    public NameserversSetupInfo nameserversSetupInfo = NameserversSetupInfo.SCHEMA;
    /** The external registrar reported in setup info (C12). */
    public Registrar registrar = new Registrar();
    /** Propagation defaults (C10). */
    public Propagation propagation = new Propagation();
    /** Scripted outcomes by domain pattern; for each domain the first matching rule wins. */
    public List<Rule> rules = new ArrayList<>();
    /** Fault injection. */
    public Faults faults = new Faults();
    /** Enforced requests per sliding 60 s window per account (C15); null or 0: off. Wix's documented limit is 200. */
    public Integer rateLimitPerMinute;

    public enum IdenticalRecreate { OK, CONFLICT }

    public enum NameserversSetupInfo {
        /** {@code nameserverRecord} only, as the schema says. */
        SCHEMA,
        /** {@code nameserverRecord} and {@code pointingRecords}, as the sample flow reads it. */
        SAMPLE_FLOW
    }

    /** How a domain's propagation ends once the records are in place. */
    public enum Outcome {
        /** COMPLETED after the propagation delay. */
        COMPLETED,
        /** FAILED after the propagation delay. */
        FAILED,
        /** Stays IN_PROGRESS forever. */
        NEVER
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Registrar {
        public String name = "OTHER";
        public List<String> nameServers = new ArrayList<>(List.of("ns1.registrar.test", "ns2.registrar.test"));
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Propagation {
        /** Time from "records in place" (IN_PROGRESS) to COMPLETED. */
        public long delayMs = 2000;
        /**
         * When set, the owner of a POINTING domain or subdomain "sets the records at the registrar" by themselves this
         * long after the create; when null, only {@code POST /_sandbox/owner-records/{domain}} does it.
         */
        public Long autoOwnerRecordsAfterMs;
    }

    /** Scripted outcome for the domains matching {@link #pattern}. Unset fields fall back to the defaults. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Rule {
        /**
         * Glob over the normalized domain, case-insensitive: {@code *} any characters (dots too), {@code ?} one.
         * Calls that are not about a domain (List, Create Package, Cancel Package) match only the pattern {@code *}.
         */
        public String pattern;
        public Outcome propagation;
        public Long propagationDelayMs;
        public Long autoOwnerRecordsAfterMs;
        /** Fixed Wix errors answered for the listed endpoints. */
        public List<ScriptedError> errors = new ArrayList<>();

        public Rule() {
        }

        public Rule(String pattern) {
            this.pattern = pattern;
        }

        /** Convenience for scenario files: {@code "error": {...}} adds one scripted error. */
        @JsonSetter("error")
        public void addError(ScriptedError error) {
            errors.add(error);
        }

        public Rule propagation(Outcome outcome) {
            this.propagation = outcome;
            return this;
        }

        public Rule propagationDelayMs(long ms) {
            this.propagationDelayMs = ms;
            return this;
        }

        public Rule autoOwnerRecordsAfterMs(long ms) {
            this.autoOwnerRecordsAfterMs = ms;
            return this;
        }

        public Rule error(ScriptedError error) {
            errors.add(error);
            return this;
        }

        public boolean matches(String domain) {
            if (domain == null || domain.isEmpty()) {
                return "*".equals(pattern);
            }
            return globToRegex(pattern).matcher(domain).matches();
        }

        static Pattern globToRegex(String glob) {
            StringBuilder regex = new StringBuilder();
            for (char c : glob.toLowerCase(Locale.ROOT).toCharArray()) {
                switch (c) {
                    case '*' -> regex.append(".*");
                    case '?' -> regex.append('.');
                    default -> regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
        }
    }

    /**
     * A fixed Wix error for one endpoint. With {@link #times} set, only the first N matching calls per domain get it
     * (a transient failure); afterwards the endpoint answers normally.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ScriptedError {
        public Endpoint endpoint;
        public int status;
        public String code;
        public String message;
        public Integer times;
        /** Sent as {@code Retry-After} (whole seconds), e.g. with status 429. */
        public Integer retryAfterSeconds;

        public ScriptedError() {
        }

        public ScriptedError(Endpoint endpoint, int status, String code, String message) {
            this.endpoint = endpoint;
            this.status = status;
            this.code = code;
            this.message = message;
        }

        public ScriptedError times(int n) {
            this.times = n;
            return this;
        }
    }

    // ---- fluent helpers for Java callers (not JSON properties) ----

    public Scenario allSitesPremium(boolean premium) {
        this.allSitesPremium = premium;
        return this;
    }

    public Scenario premiumSite(String siteId) {
        premiumSites.add(siteId);
        return this;
    }

    public Scenario apiKey(String key, String... accounts) {
        apiKeys.put(key, new ArrayList<>(List.of(accounts)));
        return this;
    }

    public Scenario identicalRecreate(IdenticalRecreate answer) {
        this.identicalRecreate = answer;
        return this;
    }

    public Scenario nameserversSetupInfo(NameserversSetupInfo shape) {
        this.nameserversSetupInfo = shape;
        return this;
    }

    public Scenario propagationDelayMs(long ms) {
        propagation.delayMs = ms;
        return this;
    }

    public Scenario autoOwnerRecordsAfterMs(Long ms) {
        propagation.autoOwnerRecordsAfterMs = ms;
        return this;
    }

    public Scenario rule(Rule rule) {
        rules.add(rule);
        return this;
    }

    public Scenario faults(Faults faults) {
        this.faults = faults;
        return this;
    }

    public Scenario rateLimitPerMinute(Integer limit) {
        this.rateLimitPerMinute = limit;
        return this;
    }

    /** The first rule matching the domain, or null. */
    @JsonIgnore
    public Rule ruleFor(String domain) {
        for (Rule rule : rules) {
            if (rule.matches(domain)) {
                return rule;
            }
        }
        return null;
    }

    /** Fails fast on a scenario the sandbox can't run, naming every problem. */
    public void validate() {
        List<String> problems = new ArrayList<>();
        if (apiKeys == null || apiKeys.isEmpty()) {
            problems.add("apiKeys: at least one key is required");
        }
        if (registrar == null || propagation == null || faults == null || rules == null) {
            problems.add("registrar, propagation, faults and rules must not be null");
        }
        if (propagation != null && propagation.delayMs < 0) {
            problems.add("propagation.delayMs must be >= 0");
        }
        if (rateLimitPerMinute != null && rateLimitPerMinute < 0) {
            problems.add("rateLimitPerMinute must be >= 0");
        }
        if (rules != null) {
            for (int i = 0; i < rules.size(); i++) {
                Rule rule = rules.get(i);
                if (rule.pattern == null || rule.pattern.isBlank()) {
                    problems.add("rules[" + i + "].pattern is required");
                }
                for (int j = 0; j < rule.errors.size(); j++) {
                    ScriptedError e = rule.errors.get(j);
                    if (e.endpoint == null) {
                        problems.add("rules[" + i + "].errors[" + j + "].endpoint is required");
                    }
                    if (e.status < 400 || e.status > 599) {
                        problems.add("rules[" + i + "].errors[" + j + "].status must be 400..599");
                    }
                }
            }
        }
        if (faults != null) {
            faults.collectProblems("faults", problems);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid scenario: " + String.join("; ", problems));
        }
    }

    /** Reads a scenario from JSON; fields left out keep their defaults. */
    public static Scenario parse(String json) {
        try {
            Scenario scenario = Json.read(json, Scenario.class);
            scenario.validate();
            return scenario;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("invalid scenario JSON: " + e.getMessage(), e);
        }
    }

    /** Reads a scenario file. */
    public static Scenario load(java.nio.file.Path file) throws java.io.IOException {
        return parse(java.nio.file.Files.readString(file));
    }

    /** A deep copy. */
    public Scenario copy() {
        return Json.copy(this, Scenario.class);
    }
}
