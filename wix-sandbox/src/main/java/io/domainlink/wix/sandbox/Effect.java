package io.domainlink.wix.sandbox;

/** What a served call changed in the sandbox's state; tests assert that each effect happened exactly once. */
public enum Effect {
    DOMAIN_CREATED,
    DOMAIN_DELETED,
    ZONE_CREATED,
    ZONE_UPDATED,
    ZONE_DELETED,
    PACKAGE_CREATED,
    /** A package's product instances went to {@code CANCELED} (choice C23); a repeated cancel is {@link #NONE}. */
    PACKAGE_CANCELED,
    /** Reads, rejected calls, faults, identical re-creates and idempotent replays. */
    NONE
}
