package io.domainlink.common.serde;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongConsumer;

import org.apache.avro.SystemLimitException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.common.config.ServiceConfig;

/**
 * Avro's decoding limits and this process's input limit ({@code input.max.bytes}), set once per JVM.
 *
 * <p>Avro trusts the length prefixes of strings, bytes, arrays and maps and allocates what they announce unless its
 * limits are set; it reads them from system properties once, in {@link SystemLimitException}'s static initializer.
 * So this class sets them before that class initializes, to {@code max(input.max.bytes, 1 MiB)} (a record is checked
 * against {@code input.max.bytes} before it is decoded, so no legitimate length is longer; allocating up to the
 * default 1 MiB for a bad one is harmless), unless the operator set a property on the command line, which wins. It
 * then probes Avro's public checks and fails with {@link IllegalStateException} when the limits in force are not
 * those: Avro was initialized earlier, and a crafted length would reach the allocator. {@link
 * io.domainlink.common.kafka.KafkaDefaults} applies the service's configuration, and every {@link AvroDeserializer}
 * requires the limits when it is built, so they are in force in the services themselves whatever {@code JAVA_OPTS}
 * holds.
 */
public final class AvroLimits {

    public static final String STRING_LENGTH = SystemLimitException.MAX_STRING_LENGTH_PROPERTY;
    public static final String BYTES_LENGTH = SystemLimitException.MAX_BYTES_LENGTH_PROPERTY;
    public static final String COLLECTION_ITEMS = SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY;
    static final List<String> PROPERTIES = List.of(STRING_LENGTH, BYTES_LENGTH, COLLECTION_ITEMS);

    /** The default of {@link ServiceConfig#INPUT_MAX_BYTES} (1 MiB), and the floor of the Avro limits this class sets. */
    public static final int DEFAULT_INPUT_MAX_BYTES = 1 << 20;
    /** Avro cannot allocate arrays longer than this anyway. */
    private static final long VM_ARRAY_LIMIT = Integer.MAX_VALUE - 8;

    private static final Logger log = LoggerFactory.getLogger(AvroLimits.class);

    /** The limit of each property in force, once installed. Guarded by the class. */
    private static Map<String, Long> inForce;
    /** The properties the operator set. Guarded by the class. */
    private static Set<String> explicit;
    private static volatile int inputMaxBytes;

    private AvroLimits() {
    }

    /**
     * Applies a service's {@code input.max.bytes}: installs Avro's limits if they are not yet, checks they cover it,
     * and makes it the input limit of serdes built afterwards without an explicit one.
     *
     * @throws IllegalStateException when Avro's limits cannot be set or would refuse legitimate input
     */
    public static synchronized void apply(int maxBytes) {
        require(maxBytes);
        inputMaxBytes = maxBytes;
    }

    /** The input limit of this process: the last one {@linkplain #apply applied}, else the default (applied now). */
    public static int inputMaxBytes() {
        int m = inputMaxBytes;
        if (m == 0) {
            synchronized (AvroLimits.class) {
                if (inputMaxBytes == 0) {
                    apply(DEFAULT_INPUT_MAX_BYTES);
                }
                m = inputMaxBytes;
            }
        }
        return m;
    }

    /**
     * Makes sure Avro's limits are installed and let records of {@code maxBytes} decode, without changing the
     * process's input limit.
     *
     * @throws IllegalStateException when Avro's limits cannot be set or are lower than {@code maxBytes} (set lower by
     *     an earlier component of this JVM; an operator's explicit property is honoured as it is)
     */
    public static synchronized void require(int maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("input limit must be positive: " + maxBytes);
        }
        if (inForce == null) {
            install(Math.max(maxBytes, DEFAULT_INPUT_MAX_BYTES));
        }
        for (Map.Entry<String, Long> e : inForce.entrySet()) {
            if (!explicit.contains(e.getKey()) && e.getValue() < maxBytes) {
                throw new IllegalStateException("input.max.bytes=" + maxBytes + " is more than the Avro limit " + e.getKey() + "="
                        + e.getValue() + " this JVM already enforces (Avro fixes its limits once per JVM): use one "
                        + "input.max.bytes per process, or set -D" + e.getKey() + " on the java command line");
            }
        }
    }

    private static void install(int limit) {
        Map<String, Long> values = new LinkedHashMap<>();
        Set<String> fromOperator = new TreeSet<>();
        for (String p : PROPERTIES) {
            String set = System.getProperty(p);
            if (set == null) {
                System.setProperty(p, Integer.toString(limit));
                values.put(p, (long) limit);
            } else {
                fromOperator.add(p);
                values.put(p, positive(p, set));
            }
        }
        // the first call of a check initializes SystemLimitException, which reads the properties just set
        verify(STRING_LENGTH, values.get(STRING_LENGTH), SystemLimitException::checkMaxStringLength);
        verify(BYTES_LENGTH, values.get(BYTES_LENGTH), SystemLimitException::checkMaxBytesLength);
        verify(COLLECTION_ITEMS, values.get(COLLECTION_ITEMS), SystemLimitException::checkMaxCollectionLength);
        inForce = values;
        explicit = fromOperator;
        log.info("Avro decoding limits in force: {}{}", values,
                fromOperator.isEmpty() ? "" : " (set on the command line: " + fromOperator + ")");
    }

    private static long positive(String property, String value) {
        try {
            long v = Long.parseLong(value.trim());
            if (v > 0 && v <= VM_ARRAY_LIMIT) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException("system property " + property + "=" + value + " is not a positive integer"
                + " (Avro would ignore it and decode without a limit)");
    }

    private static void verify(String property, long limit, LongConsumer check) {
        boolean limitPasses;
        boolean aboveFails;
        try {
            check.accept(limit);
            limitPasses = true;
        } catch (RuntimeException e) {
            limitPasses = false;
        }
        try {
            check.accept(limit + 1);
            aboveFails = false;
        } catch (RuntimeException e) {
            aboveFails = true;
        }
        if (!limitPasses || !aboveFails) {
            throw new IllegalStateException("Avro does not enforce " + property + "=" + limit + " in this JVM: "
                    + SystemLimitException.class.getName() + " was initialized before the service set its limits (Avro reads "
                    + "them once), so a crafted length prefix could exhaust the heap. Set -D" + property + "=" + limit
                    + " and the other " + PROPERTIES + " on the java command line, or set the limits before any Avro decoding");
        }
    }
}
