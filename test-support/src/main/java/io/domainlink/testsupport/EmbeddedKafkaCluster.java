package io.domainlink.testsupport;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.BrokerState;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.BrokerServer;

/**
 * An in-JVM KRaft cluster built on Kafka's own {@link KafkaClusterTestKit} (infra recipe 1a), with fault
 * operations for resilience tests. Usually obtained through {@link KafkaClusterExtension}; can also be
 * started directly with {@link #start(Spec)} (then the caller closes it).
 */
public final class EmbeddedKafkaCluster implements KafkaCluster {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);

    /** Cluster shape and broker config. */
    public record Spec(int brokers, int controllers, Map<String, String> overrides) {

        public Spec {
            if (brokers < 1) {
                throw new IllegalArgumentException("brokers must be >= 1, was " + brokers);
            }
            if (controllers != 1 && controllers != 3) {
                throw new IllegalArgumentException("controllers must be 1 or 3, was " + controllers);
            }
            overrides = Map.copyOf(overrides);
        }

        /** One combined broker+controller node. */
        public static Spec singleNode() {
            return new Spec(1, 1, Map.of());
        }

        public static Spec of(KafkaClusterSpec annotation) {
            Map<String, String> overrides = new LinkedHashMap<>();
            for (String kv : annotation.config()) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("@KafkaClusterSpec config entries are key=value, got: " + kv);
                }
                overrides.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
            return new Spec(annotation.brokers(), annotation.controllers(), overrides);
        }

        /** 1 broker + 1 controller share one node; everything else runs separate controllers (3 combined fail). */
        public boolean combined() {
            return brokers == 1 && controllers == 1;
        }

        /**
         * Size-based defaults, then the overrides. Internal topics get rf = min(3, brokers) and
         * min.isr = 2 from 3 brokers on (1 below), so stopping one of 3 brokers keeps them writable;
         * 5 partitions (not 50) for the offsets and transaction topics keep the first consumer group and the
         * first transaction fast; no initial rebalance delay; broker session timeout 4 s (heartbeat 0.5 s) so a
         * killed broker is fenced quickly.
         */
        public Map<String, String> brokerConfig() {
            String rf = String.valueOf(Math.min(3, brokers));
            String minIsr = brokers >= 3 ? "2" : "1";
            Map<String, String> c = new LinkedHashMap<>();
            c.put("offsets.topic.replication.factor", rf);
            c.put("offsets.topic.num.partitions", "5");
            c.put("transaction.state.log.replication.factor", rf);
            c.put("transaction.state.log.min.isr", minIsr);
            c.put("transaction.state.log.num.partitions", "5");
            c.put("share.coordinator.state.topic.replication.factor", rf);
            c.put("share.coordinator.state.topic.min.isr", minIsr);
            c.put("group.initial.rebalance.delay.ms", "0");
            // a killed broker is fenced after 4 s instead of 9 s; heartbeats every 0.5 s keep live ones safe
            c.put("broker.session.timeout.ms", "4000");
            c.put("broker.heartbeat.interval.ms", "500");
            c.putAll(overrides);
            return c;
        }

        String describe() {
            return combined() ? "1 combined node"
                    : brokers + " broker" + (brokers == 1 ? "" : "s") + " + " + controllers + " controller" + (controllers == 1 ? "" : "s");
        }
    }

    private final Spec spec;
    private final KafkaClusterTestKit kit;
    private final long startupNanos;
    private final Set<Integer> stopped = Collections.synchronizedSet(new TreeSet<>());
    private Admin admin;
    private boolean closed;

    private EmbeddedKafkaCluster(Spec spec, KafkaClusterTestKit kit, long startupNanos) {
        this.spec = spec;
        this.kit = kit;
        this.startupNanos = startupNanos;
    }

    /** Builds, formats and starts a cluster and waits until every broker is ready. */
    public static EmbeddedKafkaCluster start(Spec spec) {
        long t0 = System.nanoTime();
        KafkaClusterTestKit kit = null;
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(spec.combined())
                    .setNumBrokerNodes(spec.brokers())
                    .setNumControllerNodes(spec.controllers())
                    // the kit defaults to latestTesting() (unstable); use what production brokers run
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            spec.brokerConfig().forEach(builder::setConfigProp);
            kit = builder.build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            long took = System.nanoTime() - t0;
            EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(spec, kit, took);
            String msg = "[test-support] embedded Kafka (" + spec.describe() + ") started in " + Wait.seconds(took)
                    + " at " + kit.bootstrapServers();
            System.out.println(msg);
            LOG.info(msg);
            return cluster;
        } catch (Exception e) {
            if (kit != null) {
                try {
                    kit.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("embedded Kafka (" + spec.describe() + ") did not start", e);
        }
    }

    public Spec spec() {
        return spec;
    }

    /** Wall time of build + format + startup + wait-for-ready. */
    public Duration startupTime() {
        return Duration.ofNanos(startupNanos);
    }

    /** The underlying test kit, for anything not wrapped here. */
    public KafkaClusterTestKit testKit() {
        return kit;
    }

    @Override
    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    @Override
    public synchronized Admin admin() {
        if (admin == null) {
            admin = kit.admin();
        }
        return admin;
    }

    @Override
    public Set<Integer> brokerIds() {
        return new TreeSet<>(kit.brokers().keySet());
    }

    public Set<Integer> controllerIds() {
        return new TreeSet<>(kit.controllers().keySet());
    }

    /** Brokers currently running. */
    public Set<Integer> runningBrokerIds() {
        return kit.brokers().keySet().stream().filter(this::isBrokerRunning).collect(Collectors.toCollection(TreeSet::new));
    }

    @Override
    public boolean isBrokerRunning(int brokerId) {
        return !stopped.contains(brokerId) && !broker(brokerId).isShutdown();
    }

    @Override
    public void stopBroker(int brokerId) {
        BrokerServer broker = broker(brokerId);
        long t0 = System.nanoTime();
        stopped.add(brokerId);
        broker.shutdown();          // controlled shutdown: the controller moves leadership away first
        broker.awaitShutdown();
        awaitBrokerGone(brokerId, DEFAULT_TIMEOUT);
        log("broker " + brokerId + " stopped (controlled) in " + Wait.seconds(System.nanoTime() - t0));
    }

    /**
     * As abrupt as an in-JVM broker allows: the controlled shutdown is skipped (zero timeout), so leadership is
     * not handed over and the controller only fences the broker after {@code broker.session.timeout.ms}
     * (4 s here, Kafka's default is 9 s); until then writes to partitions it led stall and are retried. Unlike {@code kill -9}, log segments are still closed by the broker's own shutdown; for a
     * real process kill use a standalone broker (infra recipe 1b).
     */
    @Override
    public void killBroker(int brokerId) {
        BrokerServer broker = broker(brokerId);
        long t0 = System.nanoTime();
        stopped.add(brokerId);
        broker.shutdown(Duration.ZERO);
        broker.awaitShutdown();
        log("broker " + brokerId + " killed (no controlled shutdown) in " + Wait.seconds(System.nanoTime() - t0));
    }

    @Override
    public void startBroker(int brokerId) {
        startBroker(brokerId, DEFAULT_TIMEOUT);
    }

    /** Restarts a stopped broker on its old port and data and waits until it is registered and unfenced. */
    public void startBroker(int brokerId, Duration timeout) {
        BrokerServer old = broker(brokerId);
        if (!old.isShutdown()) {
            throw new IllegalStateException("broker " + brokerId + " is running; stop or kill it first");
        }
        long t0 = System.nanoTime();
        kit.restartBroker(brokerId, Map.of());   // new BrokerServer, same node id, ports and log dirs
        awaitBrokerReady(brokerId, timeout);
        stopped.remove(brokerId);
        log("broker " + brokerId + " restarted and ready in " + Wait.seconds(System.nanoTime() - t0));
    }

    /** Waits until the broker is RUNNING and every other running broker reports it in the cluster metadata. */
    public void awaitBrokerReady(int brokerId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            BrokerServer b = broker(brokerId);
            if (b.brokerState() == BrokerState.RUNNING && clusterNodeIds().contains(brokerId)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("broker " + brokerId + " not ready within " + timeout + " (state "
                        + b.brokerState() + ")");
            }
            Wait.sleep(Duration.ofMillis(50));
        }
    }

    private void awaitBrokerGone(int brokerId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (clusterNodeIds().contains(brokerId)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("broker " + brokerId + " still in the cluster metadata after " + timeout);
            }
            Wait.sleep(Duration.ofMillis(50));
        }
    }

    private Set<Integer> clusterNodeIds() {
        try {
            return admin().describeCluster().nodes().get(5, TimeUnit.SECONDS).stream().map(Node::id)
                    .collect(Collectors.toSet());
        } catch (Exception e) {
            return Set.of();
        }
    }

    private BrokerServer broker(int brokerId) {
        BrokerServer b = kit.brokers().get(brokerId);
        if (b == null) {
            throw new IllegalArgumentException("no broker " + brokerId + "; brokers are " + brokerIds());
        }
        return b;
    }

    private static void log(String msg) {
        System.out.println("[test-support] " + msg);
        LOG.info(msg);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;   // KafkaClusterTestKit.close() must run exactly once
        }
        closed = true;
        long t0 = System.nanoTime();
        try {
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
            }
            kit.close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("embedded Kafka did not close cleanly", e);
        }
        log("embedded Kafka (" + spec.describe() + ") closed in " + Wait.seconds(System.nanoTime() - t0));
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaCluster[" + spec.describe() + ", " + bootstrapServers() + "]";
    }
}
