package io.domainlink.events;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * FULL_TRANSITIVE compatibility as the Confluent Schema Registry defines it: the new schema reads data written
 * with every earlier version (backward) and every earlier version reads data written with the new one (forward).
 */
public final class SchemaCompatibilityCheck {

    private SchemaCompatibilityCheck() {
    }

    /** Every incompatibility between {@code candidate} and the {@code released} versions; empty when fully compatible. */
    public static List<String> fullTransitiveProblems(Schema candidate, List<Schema> released) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < released.size(); i++) {
            Schema old = released.get(i);
            describe(problems, "v" + (i + 1) + " data read by the new schema (backward)",
                    SchemaCompatibility.checkReaderWriterCompatibility(candidate, old));
            describe(problems, "new data read by v" + (i + 1) + " (forward)",
                    SchemaCompatibility.checkReaderWriterCompatibility(old, candidate));
        }
        return problems;
    }

    private static void describe(List<String> problems, String direction, SchemaPairCompatibility result) {
        if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        result.getResult().getIncompatibilities().forEach(inc -> problems.add(direction + ": " + inc.getType()
                + " at " + inc.getLocation() + " (" + inc.getMessage() + ")"));
    }
}
