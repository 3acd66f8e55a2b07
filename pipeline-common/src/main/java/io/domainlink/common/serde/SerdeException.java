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
        /** The Avro body does not decode with the writer schema (a length prefix over Avro's limits included). */
        UNDECODABLE_PAYLOAD(true),
        /**
         * The record's value plus headers is larger than {@code input.max.bytes}: refused before decoding, or, on the
         * writing side, an output the next stage would refuse.
         */
        RECORD_TOO_LARGE(true),
        /** The registry could not be reached, or answered 5xx or 429: retry later. */
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
    private final String detail;

    public SerdeException(Kind kind, String message) {
        super(kind + ": " + message);
        this.kind = kind;
        this.detail = message;
    }

    public SerdeException(Kind kind, String message, Throwable cause) {
        super(kind + ": " + message, cause);
        this.kind = kind;
        this.detail = message;
    }

    public Kind kind() {
        return kind;
    }

    /** The message without the kind in front. */
    public String detail() {
        return detail;
    }

    /** True when the record itself is bad: retrying cannot help. */
    public boolean poison() {
        return kind.poison();
    }
}
