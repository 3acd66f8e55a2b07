package io.domainlink.wix.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A profile for the calls that match every given criterion (unset criteria match anything). It replaces the
 * global profile as a whole for those calls.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FaultOverride extends FaultProfile {
    /** {@code wix-account-id} of the call. */
    public String accountId;
    /** Domain glob, as in {@link Scenario.Rule#pattern}. */
    public String pattern;
    /** Endpoints the override applies to. */
    public List<Endpoint> endpoints;

    boolean matches(String account, String domain, Endpoint endpoint) {
        if (accountId != null && !accountId.equalsIgnoreCase(account == null ? "" : account)) {
            return false;
        }
        if (pattern != null && !new Scenario.Rule(pattern).matches(domain)) {
            return false;
        }
        return endpoints == null || endpoints.isEmpty() || endpoints.contains(endpoint);
    }

    public FaultOverride forAccount(String account) {
        this.accountId = account;
        return this;
    }

    public FaultOverride forPattern(String glob) {
        this.pattern = glob;
        return this;
    }
}
