package io.domainlink.testsupport;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ModifierSupport;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * JUnit 5 extension that starts one embedded KRaft cluster per test class and injects it into
 * <ul>
 *   <li>static fields of type {@link KafkaCluster} or {@link EmbeddedKafkaCluster} (before {@code @BeforeAll}),</li>
 *   <li>instance fields of those types, and</li>
 *   <li>parameters of those types (constructor, {@code @BeforeAll}, {@code @Test}, ...).</li>
 * </ul>
 * The shape comes from {@link KafkaClusterSpec} on the class (or an enclosing class, or the field); without it
 * the cluster is one combined node. {@code @Nested} classes share the cluster of their outermost class. The cluster
 * is closed after the class's last test (JUnit closes the {@link AutoCloseable} store value), and its start time is
 * printed to stdout.
 *
 * <pre>{@code
 * @ExtendWith(KafkaClusterExtension.class)
 * class ProduceConsumeIT {
 *     static KafkaCluster kafka;
 *     @Test void roundTrip() { kafka.createTopics(1, 1, "t"); ... }
 * }
 * }</pre>
 */
public final class KafkaClusterExtension implements BeforeAllCallback, TestInstancePostProcessor, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaClusterExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Class<?> testClass = context.getRequiredTestClass();
        for (Field f : clusterFields(testClass, ModifierSupport::isStatic)) {
            inject(f, null, cluster(context));
        }
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) throws Exception {
        for (Field f : clusterFields(testInstance.getClass(), ModifierSupport::isNotStatic)) {
            inject(f, testInstance, cluster(context));
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == KafkaCluster.class || type == EmbeddedKafkaCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return cluster(extensionContext);
    }

    /** The cluster of the (outermost) test class of this context, started on first use. */
    static EmbeddedKafkaCluster cluster(ExtensionContext context) {
        ExtensionContext classContext = outermostClassContext(context);
        Class<?> testClass = classContext.getRequiredTestClass();
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(testClass,
                c -> EmbeddedKafkaCluster.start(specFor(testClass)), EmbeddedKafkaCluster.class);
    }

    private static ExtensionContext outermostClassContext(ExtensionContext context) {
        ExtensionContext classContext = null;
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            if (c.getTestClass().isPresent() && c.getTestMethod().isEmpty()) {
                classContext = c;
            }
        }
        if (classContext == null) {
            throw new ExtensionConfigurationException("KafkaClusterExtension needs a test class context");
        }
        return classContext;
    }

    static EmbeddedKafkaCluster.Spec specFor(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            Optional<KafkaClusterSpec> onClass = AnnotationSupport.findAnnotation(c, KafkaClusterSpec.class);
            if (onClass.isPresent()) {
                return EmbeddedKafkaCluster.Spec.of(onClass.get());
            }
            for (Field f : clusterFields(c, m -> true)) {
                if (f.isAnnotationPresent(KafkaClusterSpec.class)) {
                    return EmbeddedKafkaCluster.Spec.of(f.getAnnotation(KafkaClusterSpec.class));
                }
            }
        }
        return EmbeddedKafkaCluster.Spec.singleNode();
    }

    private static List<Field> clusterFields(Class<?> type, Predicate<Field> filter) {
        return ReflectionSupport.findFields(type,
                f -> (f.getType() == KafkaCluster.class || f.getType() == EmbeddedKafkaCluster.class) && filter.test(f),
                HierarchyTraversalMode.TOP_DOWN);
    }

    private static void inject(Field f, Object target, EmbeddedKafkaCluster cluster) throws IllegalAccessException {
        if (Modifier.isFinal(f.getModifiers())) {
            throw new ExtensionConfigurationException("KafkaCluster field " + f + " must not be final");
        }
        f.setAccessible(true);
        f.set(target, cluster);
    }
}
