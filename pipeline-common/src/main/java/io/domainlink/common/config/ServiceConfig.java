package io.domainlink.common.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.types.Password;

/**
 * Typed service configuration defined with Kafka's {@link ConfigDef} (one definition per key: type, default,
 * validator, description). Values come from environment variables ({@code wix.base.url} is {@code WIX_BASE_URL}),
 * then an optional properties file named by {@code CONFIG_FILE}, then the default. Kafka client properties pass
 * through unchanged: environment {@code KAFKA_SECURITY_PROTOCOL} or file key {@code kafka.security.protocol}
 * becomes {@code security.protocol} on every client of the service.
 *
 * <p>{@link #load} validates everything at once and fails with one message listing every problem.
 */
public final class ServiceConfig {

    public static final String CONFIG_FILE_ENV = "CONFIG_FILE";
    public static final String KAFKA_ENV_PREFIX = "KAFKA_";
    public static final String KAFKA_FILE_PREFIX = "kafka.";

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String SCHEMA_REGISTRY_USER_INFO = "schema.registry.basic.auth.user.info";
    public static final String SCHEMA_REGISTRY_BEARER_TOKEN = "schema.registry.bearer.token";
    public static final String SCHEMA_REGISTRY_AUTO_REGISTER = "schema.registry.auto.register";
    public static final String HTTP_PORT = "http.port";
    public static final String INSTANCE_ID = "instance.id";
    public static final String REPLICATION_FACTOR = "topic.replication.factor";
    public static final String INPUT_MAX_BYTES = "input.max.bytes";

    private final ConfigDef definition;
    private final Map<String, Object> values;
    private final Map<String, String> kafka;

    private ServiceConfig(ConfigDef definition, Map<String, Object> values, Map<String, String> kafka) {
        this.definition = definition;
        this.values = values;
        this.kafka = kafka;
    }

    /** The keys every service has. Services add their own with {@code define}. */
    public static ConfigDef common() {
        return new ConfigDef()
                .define(BOOTSTRAP_SERVERS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                        "Kafka bootstrap servers, host:port[,host:port].")
                .define(SCHEMA_REGISTRY_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                        "Base URL of the Confluent-compatible schema registry REST API, e.g. http://registry:8082/apis/ccompat/v7.")
                .define(SCHEMA_REGISTRY_USER_INFO, Type.PASSWORD, null, Importance.LOW,
                        "user:password for HTTP basic auth against the registry.")
                .define(SCHEMA_REGISTRY_BEARER_TOKEN, Type.PASSWORD, null, Importance.LOW,
                        "Bearer token for the registry.")
                .define(SCHEMA_REGISTRY_AUTO_REGISTER, Type.BOOLEAN, true, Importance.MEDIUM,
                        "Register this service's output schemas on first use. Off: they must be registered beforehand.")
                .define(HTTP_PORT, Type.INT, 8080, ConfigDef.Range.between(-1, 65535), Importance.MEDIUM,
                        "Port of the health and metrics endpoint; 0 picks a free port, -1 turns it off.")
                .define(INSTANCE_ID, Type.STRING, defaultInstanceId(), Importance.MEDIUM,
                        "Stable id of this instance (used in transactional ids and client ids). Default: the host name.")
                .define(REPLICATION_FACTOR, Type.SHORT, (short) -1, Importance.MEDIUM,
                        "Replication factor of internal topics a service creates (Kafka Streams state); -1 uses the broker default.")
                .define(INPUT_MAX_BYTES, Type.INT, 1 << 20, ConfigDef.Range.between(1024, 64 << 20), Importance.MEDIUM,
                        "Largest input record (value plus headers) a stage reads; a larger one is dead-lettered as a stub. "
                                + "Also bounds every Avro string, bytes and collection length it decodes. Default: the consumer's "
                                + "max.partition.fetch.bytes default.");
    }

    /** Loads from the process environment and the optional {@code CONFIG_FILE}. */
    public static ServiceConfig fromEnvironment(ConfigDef definition) {
        return load(definition, System.getenv());
    }

    public static ServiceConfig load(ConfigDef definition, Map<String, String> env) {
        Map<String, String> file = new HashMap<>();
        String path = env.get(CONFIG_FILE_ENV);
        List<String> problems = new ArrayList<>();
        if (path != null && !path.isBlank()) {
            try (Reader r = Files.newBufferedReader(Path.of(path))) {
                Properties p = new Properties();
                p.load(r);
                p.stringPropertyNames().forEach(k -> file.put(k, p.getProperty(k)));
            } catch (IOException e) {
                problems.add(CONFIG_FILE_ENV + "=" + path + ": cannot read (" + e.getMessage() + ")");
            }
        }
        Map<String, String> raw = new HashMap<>();
        Map<String, String> kafka = new TreeMap<>();
        file.forEach((k, v) -> {
            if (k.startsWith(KAFKA_FILE_PREFIX)) {
                kafka.put(k.substring(KAFKA_FILE_PREFIX.length()), v);
            } else {
                raw.put(k, v);
            }
        });
        env.forEach((k, v) -> {
            if (k.startsWith(KAFKA_ENV_PREFIX) && k.length() > KAFKA_ENV_PREFIX.length()) {
                kafka.put(k.substring(KAFKA_ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), v);
            }
        });
        for (String key : definition.names()) {
            String v = env.get(envName(key));
            if (v != null) {
                raw.put(key, v);
            }
        }
        for (ConfigValue cv : definition.validate(raw)) {
            // ConfigDef reports an unparsable value twice (the parse error, then "must be non-null"): the first says it
            if (!cv.errorMessages().isEmpty()) {
                problems.add(envName(cv.name()) + " (" + cv.name() + "): " + cv.errorMessages().get(0));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("Invalid configuration, " + problems.size() + " problem(s):\n  - "
                    + String.join("\n  - ", problems));
        }
        return new ServiceConfig(definition, new LinkedHashMap<>(definition.parse(raw)), kafka);
    }

    /** {@code wix.base.url} → {@code WIX_BASE_URL}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String getString(String key) {
        Object v = values.get(key);
        if (v instanceof Password p) {
            return p.value();
        }
        return v == null ? null : v.toString();
    }

    public int getInt(String key) {
        return ((Number) values.get(key)).intValue();
    }

    public long getLong(String key) {
        return ((Number) values.get(key)).longValue();
    }

    public short getShort(String key) {
        return ((Number) values.get(key)).shortValue();
    }

    public double getDouble(String key) {
        return ((Number) values.get(key)).doubleValue();
    }

    public boolean getBoolean(String key) {
        return (Boolean) values.get(key);
    }

    /** A LONG key holding milliseconds, as a Duration. */
    public Duration getDurationMs(String key) {
        return Duration.ofMillis(getLong(key));
    }

    @SuppressWarnings("unchecked")
    public List<String> getList(String key) {
        return (List<String>) values.get(key);
    }

    /** Kafka client properties passed through by prefix (security, SASL, TLS, tuning). */
    public Map<String, String> kafkaPassthrough() {
        return Map.copyOf(kafka);
    }

    public ConfigDef definition() {
        return definition;
    }

    /** A Markdown table of every key: environment variable, key, type, default, description. */
    public static String markdownReference(ConfigDef definition) {
        StringBuilder sb = new StringBuilder("| environment variable | key | type | default | description |\n|---|---|---|---|---|\n");
        for (ConfigDef.ConfigKey k : definition.configKeys().values()) {
            String def = k.hasDefault() ? (k.defaultValue == null ? "" : String.valueOf(
                    k.type == Type.LIST ? String.join(",", (List<?>) k.defaultValue == null ? List.of() : ((List<?>) k.defaultValue).stream().map(String::valueOf).toList())
                            : k.type == Type.PASSWORD ? "" : k.defaultValue)) : "(required)";
            if (INSTANCE_ID.equals(k.name)) {
                def = "host name";
            }
            sb.append("| `").append(envName(k.name)).append("` | `").append(k.name).append("` | ")
                    .append(k.type.name().toLowerCase(Locale.ROOT)).append(" | ").append(def.isEmpty() ? "" : "`" + def + "`")
                    .append(" | ").append(k.documentation).append(" |\n");
        }
        return sb.toString();
    }

    /**
     * Values for logging, without a secret: passwords, Kafka pass-through keys that Kafka types as passwords or does
     * not know, and URL user info are {@code [hidden]} (see {@link LoggedValues}).
     */
    @Override
    public String toString() {
        Map<String, Object> shown = new TreeMap<>();
        values.forEach((k, v) -> shown.put(k, LoggedValues.service(v)));
        Map<String, String> kafkaShown = new TreeMap<>();
        kafka.forEach((k, v) -> kafkaShown.put(k, LoggedValues.kafka(k, v)));
        return shown + " kafka=" + kafkaShown;
    }

    private static String defaultInstanceId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "instance-1";
            }
        }
        return host;
    }
}
