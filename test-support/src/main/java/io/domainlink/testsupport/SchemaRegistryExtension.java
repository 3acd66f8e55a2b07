package io.domainlink.testsupport;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Injects {@link SchemaRegistryProcess#shared()} into fields (static or instance) and parameters of type
 * {@link SchemaRegistryProcess}. Before each test class it makes sure the shared registry is running, so a class
 * that stopped it for an outage test cannot break the next class. The process lives until the test JVM exits.
 *
 * <pre>{@code
 * @ExtendWith(SchemaRegistryExtension.class)
 * class SerdeIT {
 *     static SchemaRegistryProcess registry;
 *     @Test void registers() { String url = registry.confluentUrl(); ... }
 * }
 * }</pre>
 */
public final class SchemaRegistryExtension implements BeforeAllCallback, TestInstancePostProcessor, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        SchemaRegistryProcess registry = SchemaRegistryProcess.shared();
        for (Field f : fields(context.getRequiredTestClass())) {
            if (Modifier.isStatic(f.getModifiers())) {
                inject(f, null, registry);
            }
        }
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) throws Exception {
        for (Field f : fields(testInstance.getClass())) {
            if (!Modifier.isStatic(f.getModifiers())) {
                inject(f, testInstance, SchemaRegistryProcess.shared());
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == SchemaRegistryProcess.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return SchemaRegistryProcess.shared();
    }

    private static java.util.List<Field> fields(Class<?> type) {
        return ReflectionSupport.findFields(type, f -> f.getType() == SchemaRegistryProcess.class, HierarchyTraversalMode.TOP_DOWN);
    }

    private static void inject(Field f, Object target, SchemaRegistryProcess registry) throws IllegalAccessException {
        if (Modifier.isFinal(f.getModifiers())) {
            throw new ExtensionConfigurationException("SchemaRegistryProcess field " + f + " must not be final");
        }
        f.setAccessible(true);
        f.set(target, registry);
    }
}
