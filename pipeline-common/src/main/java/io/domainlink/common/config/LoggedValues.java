package io.domainlink.common.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How a configuration value appears in a log line ({@link ServiceConfig#toString()}): never a secret.
 *
 * <ul>
 *   <li>A service key of type {@code PASSWORD} is {@value #HIDDEN}.</li>
 *   <li>A Kafka pass-through key is shown only when Kafka itself defines it (a key of the producer, consumer, admin
 *       client or Kafka Streams {@link ConfigDef}, also behind a Streams client prefix such as {@code producer.})
 *       with a type other than {@code PASSWORD}. Anything else, a password-typed key ({@code ssl.keystore.key},
 *       {@code sasl.jaas.config}, ...) or a key Kafka does not know, is {@value #HIDDEN}.</li>
 *   <li>In every value shown (each element of a list), a URL's user info ({@code http://user:password@host}) is
 *       {@value #HIDDEN}; a URL with an {@code @} whose authority cannot be told is {@value #HIDDEN} whole.</li>
 * </ul>
 */
final class LoggedValues {

    static final String HIDDEN = "[hidden]";

    /** Every key the Kafka clients and Kafka Streams define, with its type (PASSWORD where any definition says so). */
    private static final Map<String, Type> KAFKA_KEYS = kafkaKeys(List.of(ProducerConfig.configDef(), ConsumerConfig.configDef(),
            AdminClientConfig.configDef(), StreamsConfig.configDef()));
    /** The prefixes Kafka Streams reads client settings under ({@code producer.acks}). */
    private static final List<String> STREAMS_CLIENT_PREFIXES = List.of(StreamsConfig.PRODUCER_PREFIX, StreamsConfig.CONSUMER_PREFIX,
            StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX, StreamsConfig.GLOBAL_CONSUMER_PREFIX,
            StreamsConfig.ADMIN_CLIENT_PREFIX);

    /** A URL's scheme and its authority's user info: {@code scheme://user:password@} (the scheme may hold {@code _}, as
     * Kafka's {@code SASL_SSL://} does). */
    private static final Pattern USER_INFO = Pattern.compile("^(\\s*[A-Za-z][A-Za-z0-9+._-]*://)[^/?#]*@");

    private LoggedValues() {
    }

    /** A value of the service's own definition. */
    static Object service(Object value) {
        if (value instanceof Password) {
            return HIDDEN;
        }
        if (value instanceof String s) {
            return withoutUserInfo(s);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(LoggedValues::service).toList();
        }
        return value;
    }

    /** A Kafka pass-through value. */
    static String kafka(String key, String value) {
        return shownByKafka(key) && value != null ? withoutUserInfo(value) : HIDDEN;
    }

    private static boolean shownByKafka(String key) {
        Type type = KAFKA_KEYS.get(key);
        if (type == null) {
            for (String prefix : STREAMS_CLIENT_PREFIXES) {
                if (key.startsWith(prefix)) {
                    type = KAFKA_KEYS.get(key.substring(prefix.length()));
                    break;
                }
            }
        }
        return type != null && type != Type.PASSWORD;
    }

    /** {@code value}, or each element of a comma-separated list, with any URL user info hidden. */
    static String withoutUserInfo(String value) {
        if (value.indexOf('@') < 0) {
            return value;
        }
        return Arrays.stream(value.split(",", -1)).map(LoggedValues::elementWithoutUserInfo).collect(Collectors.joining(","));
    }

    private static String elementWithoutUserInfo(String element) {
        int scheme = element.indexOf("://");
        if (scheme < 0 || element.indexOf('@', scheme) < 0) {
            return element;
        }
        Matcher userInfo = USER_INFO.matcher(element);
        if (userInfo.find()) {
            return userInfo.replaceFirst("$1" + Matcher.quoteReplacement(HIDDEN) + "@");
        }
        try {
            URI uri = new URI(element.strip());
            if (uri.getRawUserInfo() == null && uri.getHost() != null) {
                return element;   // the '@' is in the path or query, not in the authority
            }
        } catch (URISyntaxException e) {
            // not a URL whose authority one can tell: hide it whole
        }
        return HIDDEN;
    }

    private static Map<String, Type> kafkaKeys(List<ConfigDef> definitions) {
        Map<String, Type> keys = new HashMap<>();
        for (ConfigDef d : definitions) {
            d.configKeys().forEach((name, key) -> keys.merge(name, key.type, (a, b) -> a == Type.PASSWORD ? a : b));
        }
        return Map.copyOf(keys);
    }
}
