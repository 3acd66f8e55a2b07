package io.domainlink.deploy.manifests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import io.domainlink.common.config.ServiceConfig;

/**
 * Checks deployment manifests (a compose file, Kubernetes YAML) against the code, so a topic or a configuration key
 * renamed in code but not in the manifests is a failing test rather than a failed deployment:
 * <ul>
 * <li>every topic named anywhere ({@code domains.*} in any value) is a declared topic; with Kubernetes, every declared
 * topic has exactly one {@code KafkaTopic};</li>
 * <li>every environment variable a manifest sets for a service is a key of that service's {@code ConfigDef}
 * ({@link ServiceConfig#envName}), a {@code KAFKA_*} pass-through, or a documented extra ({@link #EXTRAS});</li>
 * <li>every required key (no default) is set, and the whole environment loads with the service's own validation;</li>
 * <li>the Wix API key comes from a secret file, mounted where {@code WIX_API_KEY_FILE} points;</li>
 * <li>Kubernetes containers have liveness and readiness probes on the service's HTTP port and resource requests.</li>
 * </ul>
 * It returns the problems (empty: consistent) and what it looked at, so a test can also prove it saw the services.
 */
public final class ManifestChecker {

    /**
     * Variables a manifest may set that are not configuration keys: the image's JVM flags (docker/Dockerfile), the
     * services' log format and level (their log4j2 configuration), the optional properties file.
     */
    public static final Set<String> EXTRAS = Set.of("JAVA_OPTS", "LOG_FORMAT", "LOG_LEVEL", ServiceConfig.CONFIG_FILE_ENV);

    static final Pattern TOPIC_NAME = Pattern.compile("\\bdomains\\.[a-z0-9][a-z0-9.-]*[a-z0-9]\\b");
    static final String API_KEY = "WIX_API_KEY";
    static final String API_KEY_FILE = "WIX_API_KEY_FILE";

    /**
     * A service the manifests deploy: its configuration definition and its own loading (which adds the checks that
     * span keys), fed the manifest's environment.
     */
    public record Service(String name, ConfigDef definition, Consumer<Map<String, String>> load) {
    }

    /** What a check found: problems (each names file and service), and what it saw. */
    public record Report(List<String> problems, Set<String> services, Set<String> topics, Set<String> kafkaTopics) {
    }

    private final Map<String, Service> services;
    private final Set<String> topics;
    private final Map<String, Consumer<List<String>>> commands;

    /**
     * @param commands one-shot compose services whose {@code command} is checked by parsing it (e.g. {@code topics})
     */
    public ManifestChecker(Collection<Service> services, Collection<String> topics, Map<String, Consumer<List<String>>> commands) {
        this.services = new LinkedHashMap<>();
        services.forEach(s -> this.services.put(s.name(), s));
        this.topics = Set.copyOf(topics);
        this.commands = Map.copyOf(commands);
    }

    // ---------------------------------------------------------------- compose

    public Report checkCompose(Path file) throws IOException {
        return checkCompose(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    public Report checkCompose(String source, String yaml) {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        List<Object> docs = load(yaml);
        Map<String, Object> root = docs.isEmpty() ? Map.of() : asMap(docs.get(0));
        Set<String> topicsSeen = topicsNamed(source, docs, problems);
        Map<String, Object> composeServices = asMap(root.get("services"));
        Map<String, Object> secrets = asMap(root.get("secrets"));
        for (Service service : services.values()) {
            Object def = composeServices.get(service.name());
            if (def == null) {
                problems.add(source + ": service " + service.name() + " is missing");
                continue;
            }
            seen.add(service.name());
            Map<String, Object> s = asMap(def);
            Map<String, String> env = composeEnvironment(s.get("environment"));
            String where = source + ": service " + service.name();
            checkEnvironment(where, service, env, problems);
            String keyFile = env.get(API_KEY_FILE);
            if (keyFile != null && !keyFile.isBlank()) {
                Set<String> mounted = new LinkedHashSet<>();
                for (Object o : asList(s.get("secrets"))) {
                    Map<String, Object> m = o instanceof Map ? (Map<String, Object>) o : Map.of("source", o);
                    String name = String.valueOf(m.get("source"));
                    Object target = m.get("target");
                    mounted.add(target == null ? "/run/secrets/" + name : target.toString().startsWith("/") ? target.toString() : "/run/secrets/" + target);
                    if (!secrets.containsKey(name)) {
                        problems.add(where + ": secret " + name + " is not defined under top-level secrets");
                    }
                }
                if (!mounted.contains(keyFile)) {
                    problems.add(where + ": " + API_KEY_FILE + "=" + keyFile + " is not one of its secrets " + mounted);
                }
            }
        }
        commands.forEach((name, parse) -> {
            Object def = composeServices.get(name);
            if (def == null) {
                problems.add(source + ": service " + name + " is missing");
                return;
            }
            seen.add(name);
            try {
                parse.accept(asList(asMap(def).get("command")).stream().map(String::valueOf).toList());
            } catch (RuntimeException e) {
                problems.add(source + ": service " + name + ": command " + asMap(def).get("command") + ": " + e.getMessage());
            }
        });
        return new Report(problems, seen, topicsSeen, Set.of());
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> composeEnvironment(Object environment) {
        Map<String, String> env = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else if (environment instanceof List<?> l) {
            for (Object o : l) {
                String s = String.valueOf(o);
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
            }
        }
        return env;
    }

    // ---------------------------------------------------------------- kubernetes

    /** All files of one deployment together (ConfigMaps and Secrets are referenced across files). */
    public Report checkKubernetes(List<Path> files) throws IOException {
        Map<String, String> sources = new LinkedHashMap<>();
        for (Path f : files) {
            sources.put(f.toString(), Files.readString(f, StandardCharsets.UTF_8));
        }
        return checkKubernetes(sources);
    }

    @SuppressWarnings("unchecked")
    public Report checkKubernetes(Map<String, String> sources) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, String>> configMaps = new LinkedHashMap<>();
        Map<String, Set<String>> secretKeys = new LinkedHashMap<>();
        Map<String, List<Map<String, Object>>> deployments = new LinkedHashMap<>();
        Map<String, List<String>> kafkaTopics = new LinkedHashMap<>();
        Set<String> topicsSeen = new TreeSet<>();
        sources.forEach((source, yaml) -> {
            List<Object> docs = load(yaml);
            topicsSeen.addAll(topicsNamed(source, docs, problems));
            for (Object d : docs) {
                Map<String, Object> doc = asMap(d);
                String kind = String.valueOf(doc.get("kind"));
                Map<String, Object> metadata = asMap(doc.get("metadata"));
                String name = String.valueOf(metadata.get("name"));
                switch (kind) {
                    case "ConfigMap" -> {
                        Map<String, String> data = new LinkedHashMap<>();
                        asMap(doc.get("data")).forEach((k, v) -> data.put(k, String.valueOf(v)));
                        configMaps.put(name, data);
                    }
                    case "Secret" -> {
                        Set<String> keys = new LinkedHashSet<>(asMap(doc.get("data")).keySet());
                        keys.addAll(asMap(doc.get("stringData")).keySet());
                        secretKeys.put(name, keys);
                    }
                    case "Deployment", "StatefulSet" -> deployments.computeIfAbsent(name, n -> new ArrayList<>()).add(doc);
                    case "KafkaTopic" -> {
                        Object topicName = asMap(doc.get("spec")).get("topicName");
                        kafkaTopics.computeIfAbsent(topicName == null ? name : topicName.toString(), t -> new ArrayList<>()).add(source);
                    }
                    default -> { }
                }
            }
        });
        Set<String> seen = new LinkedHashSet<>();
        for (Service service : services.values()) {
            List<Map<String, Object>> found = deployments.getOrDefault(service.name(), List.of());
            if (found.size() != 1) {
                problems.add("kubernetes: " + (found.isEmpty() ? "no Deployment " : found.size() + " Deployments ") + service.name());
                continue;
            }
            seen.add(service.name());
            checkWorkload(service, found.get(0), configMaps, secretKeys, problems);
        }
        if (!sources.isEmpty()) {
            for (String topic : new TreeSet<>(topics)) {
                List<String> where = kafkaTopics.getOrDefault(topic, List.of());
                if (where.size() != 1) {
                    problems.add("kubernetes: topic " + topic + " has " + where.size() + " KafkaTopic resources " + where + " (want exactly 1)");
                }
            }
        }
        return new Report(problems, seen, topicsSeen, kafkaTopics.keySet());
    }

    @SuppressWarnings("unchecked")
    private void checkWorkload(Service service, Map<String, Object> deployment, Map<String, Map<String, String>> configMaps,
            Map<String, Set<String>> secretKeys, List<String> problems) {
        String where = "kubernetes: Deployment " + service.name();
        Map<String, Object> podSpec = asMap(asMap(asMap(deployment.get("spec")).get("template")).get("spec"));
        Map<String, Object> container = asList(podSpec.get("containers")).stream().map(ManifestChecker::asMap)
                .filter(c -> service.name().equals(c.get("name"))).findFirst().orElse(null);
        if (container == null) {
            problems.add(where + ": no container named " + service.name());
            return;
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (Object o : asList(container.get("envFrom"))) {
            Map<String, Object> from = asMap(o);
            String prefix = from.get("prefix") == null ? "" : from.get("prefix").toString();
            if (from.containsKey("configMapRef")) {
                String name = String.valueOf(asMap(from.get("configMapRef")).get("name"));
                Map<String, String> data = configMaps.get(name);
                if (data == null) {
                    problems.add(where + ": envFrom ConfigMap " + name + " is not in the manifests");
                } else {
                    data.forEach((k, v) -> env.put(prefix + k, v));
                }
            }
            if (from.containsKey("secretRef")) {
                String name = String.valueOf(asMap(from.get("secretRef")).get("name"));
                Set<String> keys = secretKeys.get(name);
                if (keys == null) {
                    problems.add(where + ": envFrom Secret " + name + " is not in the manifests");
                } else {
                    keys.forEach(k -> env.put(prefix + k, "from-secret"));
                }
            }
        }
        for (Object o : asList(container.get("env"))) {
            Map<String, Object> e = asMap(o);
            String name = String.valueOf(e.get("name"));
            Map<String, Object> valueFrom = asMap(e.get("valueFrom"));
            if (name.equals(API_KEY) && !valueFrom.containsKey("secretKeyRef")) {
                problems.add(where + ": " + API_KEY + " must come from a Secret (better: " + API_KEY_FILE + " and a secret volume)");
            }
            env.put(name, e.containsKey("value") ? String.valueOf(e.get("value")) : valueFrom.isEmpty() ? "" : "from-" + valueFrom.keySet().iterator().next());
        }
        if (env.containsKey(API_KEY) && !"from-secretKeyRef".equals(env.get(API_KEY))) {
            problems.add(where + ": " + API_KEY + " is set in plain text; use " + API_KEY_FILE + " with a Secret volume");
        }
        checkEnvironment(where, service, env, problems);

        Map<String, String> secretVolumes = new LinkedHashMap<>();
        for (Object o : asList(podSpec.get("volumes"))) {
            Map<String, Object> v = asMap(o);
            if (v.containsKey("secret")) {
                String secret = String.valueOf(asMap(v.get("secret")).get("secretName"));
                secretVolumes.put(String.valueOf(v.get("name")), secret);
                if (!secretKeys.containsKey(secret)) {
                    problems.add(where + ": volume " + v.get("name") + " mounts Secret " + secret + ", which is not in the manifests");
                }
            }
        }
        String keyFile = env.get(API_KEY_FILE);
        if (keyFile != null && !keyFile.isBlank()) {
            boolean mounted = false;
            for (Object o : asList(container.get("volumeMounts"))) {
                Map<String, Object> m = asMap(o);
                String secret = secretVolumes.get(String.valueOf(m.get("name")));
                String path = String.valueOf(m.get("mountPath"));
                if (secret != null && keyFile.startsWith(path.endsWith("/") ? path : path + "/")) {
                    String key = keyFile.substring(path.length()).replaceFirst("^/", "");
                    mounted = secretKeys.getOrDefault(secret, Set.of()).contains(key);
                    if (!mounted) {
                        problems.add(where + ": " + API_KEY_FILE + "=" + keyFile + ": Secret " + secret + " has no key " + key);
                    }
                    mounted = true;
                }
            }
            if (!mounted) {
                problems.add(where + ": " + API_KEY_FILE + "=" + keyFile + " is not inside a mounted Secret volume");
            }
        }

        String httpPort = env.getOrDefault(ServiceConfig.envName(ServiceConfig.HTTP_PORT),
                String.valueOf(service.definition().configKeys().get(ServiceConfig.HTTP_PORT).defaultValue));
        Map<String, String> ports = new LinkedHashMap<>();
        asList(container.get("ports")).stream().map(ManifestChecker::asMap)
                .forEach(p -> ports.put(String.valueOf(p.get("name")), String.valueOf(p.get("containerPort"))));
        for (String[] probe : new String[][] {{"livenessProbe", "/health/live"}, {"readinessProbe", "/health/ready"}}) {
            Map<String, Object> get = asMap(asMap(container.get(probe[0])).get("httpGet"));
            String port = String.valueOf(get.get("port"));
            port = ports.getOrDefault(port, port);
            if (!probe[1].equals(get.get("path")) || !httpPort.equals(port)) {
                problems.add(where + ": " + probe[0] + " must be httpGet " + probe[1] + " on HTTP_PORT " + httpPort
                        + " (is " + (get.isEmpty() ? "missing" : get.get("path") + " on " + port) + ")");
            }
        }
        Map<String, Object> requests = asMap(asMap(container.get("resources")).get("requests"));
        if (!requests.containsKey("cpu") || !requests.containsKey("memory")) {
            problems.add(where + ": resources.requests needs cpu and memory (is " + requests + ")");
        }
    }

    // ---------------------------------------------------------------- shared

    /** Names, required keys, then the service's own loading with these values. */
    void checkEnvironment(String where, Service service, Map<String, String> env, List<String> problems) {
        Map<String, String> known = new LinkedHashMap<>();
        service.definition().configKeys().values().forEach(k -> known.put(ServiceConfig.envName(k.name), k.name));
        for (String var : env.keySet()) {
            if (!known.containsKey(var) && !EXTRAS.contains(var) && !var.startsWith(ServiceConfig.KAFKA_ENV_PREFIX)) {
                problems.add(where + ": " + var + " is not a configuration key of " + service.name()
                        + " (nor KAFKA_* or one of " + new TreeSet<>(EXTRAS) + ")" + suggestion(var, known.keySet()));
            }
        }
        for (ConfigDef.ConfigKey key : service.definition().configKeys().values()) {
            if (!key.hasDefault() && env.get(ServiceConfig.envName(key.name)) == null) {
                problems.add(where + ": required " + ServiceConfig.envName(key.name) + " (" + key.name + ") is not set");
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        env.forEach((k, v) -> {
            if (v != null && !EXTRAS.contains(k)) {
                values.put(k, v);
            }
        });
        try {
            service.load().accept(values);
        } catch (ConfigException e) {
            problems.add(where + ": " + e.getMessage().replace("\n", " "));
        }
    }

    private static String suggestion(String var, Set<String> known) {
        return known.stream().filter(k -> distance(k, var) <= 2).findFirst().map(k -> "; did you mean " + k + "?").orElse("");
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Every {@code domains.*} name in any key or value; each must be a declared topic. */
    private Set<String> topicsNamed(String source, List<Object> docs, List<String> problems) {
        Set<String> named = new TreeSet<>();
        docs.forEach(d -> scalars(d).forEach(s -> {
            Matcher m = TOPIC_NAME.matcher(s);
            while (m.find()) {
                named.add(m.group());
            }
        }));
        for (String t : named) {
            if (!topics.contains(t)) {
                problems.add(source + ": topic " + t + " is not declared in Topics");
            }
        }
        return named;
    }

    private static Stream<String> scalars(Object node) {
        if (node instanceof Map<?, ?> m) {
            return m.entrySet().stream().flatMap(e -> Stream.concat(Stream.of(String.valueOf(e.getKey())), scalars(e.getValue())));
        }
        if (node instanceof List<?> l) {
            return l.stream().flatMap(ManifestChecker::scalars);
        }
        return node == null ? Stream.empty() : Stream.of(node.toString());
    }

    static List<Object> load(String yaml) {
        List<Object> docs = new ArrayList<>();
        new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml).forEach(d -> {
            if (d != null) {
                docs.add(d);
            }
        });
        return docs;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) {
        return o instanceof Map ? (Map<String, Object>) o : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> asList(Object o) {
        return o instanceof List ? (List<Object>) o : o == null ? List.of() : List.of(o);
    }
}
