package io.domainlink.events;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.avro.Schema;

/**
 * The event contract in one place: every top-level value schema a topic carries, by contract name.
 *
 * <p>A contract name is the file name under {@code src/released/} that keeps the released versions of that
 * schema. Most contracts are one event record; {@code Outcome} is the union of the two terminal events that
 * share the outcomes topic ({@link DomainConnected} or {@link DomainFailed}).
 */
public final class EventContract {

    /** The outcomes topic's value: exactly one of the two terminal events. */
    public static final Schema OUTCOME = Schema.createUnion(DomainConnected.getClassSchema(), DomainFailed.getClassSchema());

    /** Every top-level value schema, by contract name, in a stable order. */
    public static final Map<String, Schema> VALUE_SCHEMAS = List.of(
                    Map.entry("ConnectionRequested", ConnectionRequested.getClassSchema()),
                    Map.entry("RecheckRequested", RecheckRequested.getClassSchema()),
                    Map.entry("ConnectionAccepted", ConnectionAccepted.getClassSchema()),
                    Map.entry("ConnectionConfigured", ConnectionConfigured.getClassSchema()),
                    Map.entry("OwnerActionRequired", OwnerActionRequired.getClassSchema()),
                    Map.entry("PropagationProgress", PropagationProgress.getClassSchema()),
                    Map.entry("Outcome", OUTCOME))
            .stream()
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, java.util.LinkedHashMap::new));

    private EventContract() {
    }

    /** The contract name whose schema is {@code schema}, for messages. */
    public static String nameOf(Schema schema) {
        return VALUE_SCHEMAS.entrySet().stream()
                .filter(e -> e.getValue().equals(schema))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(schema.getType() == Schema.Type.UNION ? "union" : schema.getFullName());
    }
}
