package io.domainlink.common.registry;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

import org.apache.avro.Schema;

/**
 * The size of a parsed schema, as the number of its types, fields and enum symbols (a named type counted once however
 * often it is referenced). It is what a parsed schema costs in heap, roughly, and what the schema caches weigh.
 */
public final class SchemaNodes {

    private SchemaNodes() {
    }

    public static int count(Schema root) {
        Set<Schema> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Schema> todo = new ArrayDeque<>();
        todo.push(root);
        int n = 0;
        while (!todo.isEmpty()) {
            Schema s = todo.pop();
            if (!seen.add(s)) {
                continue;
            }
            n++;
            switch (s.getType()) {
                case RECORD -> {
                    n += s.getFields().size();
                    s.getFields().forEach(f -> todo.push(f.schema()));
                }
                case ARRAY -> todo.push(s.getElementType());
                case MAP -> todo.push(s.getValueType());
                case UNION -> s.getTypes().forEach(todo::push);
                case ENUM -> n += s.getEnumSymbols().size();
                default -> {
                    // a primitive or fixed type is one node
                }
            }
        }
        return n;
    }
}
