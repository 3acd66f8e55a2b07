package io.domainlink.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Shape and broker config of the embedded cluster {@link KafkaClusterExtension} starts for a test class.
 * Without it a class gets one combined (broker + controller) node.
 *
 * <pre>{@code
 * @ExtendWith(KafkaClusterExtension.class)
 * @KafkaClusterSpec(brokers = 3, controllers = 1, config = {"min.insync.replicas=2"})
 * class ResilienceIT { static KafkaCluster kafka; ... }
 * }</pre>
 *
 * <p>On the class (inherited, also found on an enclosing class of a {@code @Nested} class) or on the injected
 * field. One broker with one controller runs as a single combined node. Any other shape runs the controllers as
 * separate nodes: three <em>combined</em> controllers fail in the 4.3/4.4 test kit (infra recipe 1a).
 * Controllers may be 1 or 3; 3 separate controllers start ~1 s slower and close ~5 s slower.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.FIELD})
public @interface KafkaClusterSpec {

    /** Number of broker nodes (ids 0..brokers-1). */
    int brokers() default 1;

    /** Number of controller nodes (1 or 3). */
    int controllers() default 1;

    /**
     * Broker config overrides as {@code key=value}, applied after the size-based defaults
     * (see {@link EmbeddedKafkaCluster.Spec#brokerConfig()}), e.g. {@code "min.insync.replicas=2"}.
     */
    String[] config() default {};
}
