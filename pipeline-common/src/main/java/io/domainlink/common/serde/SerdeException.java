package io.domainlink.common.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record could not be written or read in the Confluent wire format. {@link #kind()} says why, and
 * {@link #poison()} whether retrying can ever help: poison records go to the dead-letter topic, the others
 * (registry unreachable) are retried.
 */
public class SerdeException extends SerializationException {

    public enum Kind {
        /** First byte is not the Confluent magic byte 0, or fewer than 5 bytes. */
        UNKNOWN_MAGIC_BYTE(true),
        /** The registry does not know the schema id in the record. */
        UNKNOWN_SCHEMA_ID(true),
        /** The registry returned a schema that is not readable Avro, or that cannot be resolved against ours. */
        UNREADABLE_SCHEMA(true),
        /** The Avro body does not decode with the writer schema. */
        UNDECODABLE_PAYLOAD(true),
        /** The registry could not be reached or answered 5xx: retry later. */
        REGISTRY_UNAVAILABLE(false),
        /** The registry refused the schema (incompatible, or not registered and auto-registration is off). */
        SCHEMA_REJECTED(false),
        /** The registry answered something this client does not understand. */
        REGISTRY_ERROR(false);

        private final boolean poison;

        Kind(boolean poison) {
            this.poison = poison;
        }

        public boolean poison() {
            return poison;
        }
    }

    private final Kind kind;

    public SerdeException(Kind kind, String message) {
        super(kind + ": " + message);
        this.kind = kind;
    }

    public SerdeException(Kind kind, String message, Throwable cause) {
        super(kind + ": " + message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** True when the record itself is bad: retrying cannot help. */
    public boolean poison() {
        return kind.poison();
    }
}
