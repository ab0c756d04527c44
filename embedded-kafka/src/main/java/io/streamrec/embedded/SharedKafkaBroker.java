package io.streamrec.embedded;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one real Kafka broker for the whole test run, started by the first test class that needs it.
 *
 * <pre>{@code
 * @ExtendWith(SharedKafkaBroker.class)
 * class MyIntegrationTest {
 *     @Test
 *     void works(EmbeddedKafka kafka) {            // injected, or SharedKafkaBroker.bootstrapServers()
 *         kafka.createTopics(Map.of("my-test-topic", 3));
 *     }
 * }
 * }</pre>
 *
 * <p>Why shared: starting a broker costs ~3 s, so every class starting its own would dominate the build. The broker
 * lives in the root {@link ExtensionContext.Store}; JUnit closes {@link AutoCloseable} values stored there when the
 * whole run ends. Because the broker is shared, tests must use their own topic names (and group/application ids).
 *
 * <p>Failing to start the broker fails the tests that use it; it never skips them.
 */
public final class SharedKafkaBroker implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SharedKafkaBroker.class);

    /** Set once the broker runs, for {@link #bootstrapServers()} in places that get no ExtensionContext. */
    private static volatile EmbeddedKafka started;

    /** Starts the broker before the class's {@code @BeforeAll} methods run, so they can use it too. */
    @Override
    public void beforeAll(ExtensionContext context) {
        broker(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return broker(context);
    }

    /** The shared broker, started on first use; thread-safe (the store computes the value once). */
    public static EmbeddedKafka broker(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(EmbeddedKafka.class, type -> {
            EmbeddedKafka kafka = EmbeddedKafka.start();
            System.out.printf("Shared Kafka broker started at %s in %d ms%n",
                    kafka.bootstrapServers(), kafka.startupTime().toMillis());
            started = kafka;
            return kafka;
        }, EmbeddedKafka.class);
    }

    /** {@code bootstrap.servers} of the shared broker; the calling test class must use this extension. */
    public static String bootstrapServers() {
        EmbeddedKafka kafka = started;
        if (kafka == null) {
            throw new IllegalStateException(
                    "No shared Kafka broker: annotate the test class with @ExtendWith(SharedKafkaBroker.class)");
        }
        return kafka.bootstrapServers();
    }
}
