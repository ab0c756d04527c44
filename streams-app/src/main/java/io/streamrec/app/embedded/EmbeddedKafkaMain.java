package io.streamrec.app.embedded;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a single-node Kafka broker in this JVM until Ctrl-C, for the demo and for local experiments.
 *
 * <pre>
 * EmbeddedKafkaMain [--data-dir demo-data/kafka] [--port 9092] [--controller-port 9093]
 * </pre>
 *
 * The data directory is persistent: topics and records survive a restart (the storage is formatted only once).
 */
public final class EmbeddedKafkaMain {

    static final Path DEFAULT_DATA_DIR = Path.of("demo-data", "kafka");

    private EmbeddedKafkaMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path dataDir = DEFAULT_DATA_DIR;
        int port = EmbeddedKafka.DEFAULT_BROKER_PORT;
        int controllerPort = EmbeddedKafka.DEFAULT_CONTROLLER_PORT;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg));
                case "--port" -> port = port(value(args, ++i, arg), arg);
                case "--controller-port" -> controllerPort = port(value(args, ++i, arg), arg);
                case "-h", "--help" -> {
                    usage();
                    return;
                }
                default -> {
                    System.err.println("Unknown option: " + arg);
                    usage();
                    System.exit(2);
                }
            }
        }

        EmbeddedKafka kafka = EmbeddedKafka.builder()
                .dataDir(dataDir)
                .brokerPort(port)
                .controllerPort(controllerPort)
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        // Ctrl-C (SIGINT) and SIGTERM run shutdown hooks: a controlled shutdown flushes the logs and writes clean
        // shutdown markers, so the next start skips log recovery.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Kafka...");
            kafka.close();
            stopped.countDown();
        }, "embedded-kafka-shutdown"));

        System.out.printf("Kafka is ready at %s (controller port %d, data in %s, %s, started in %d ms). "
                        + "Press Ctrl-C to stop.%n",
                kafka.bootstrapServers(), kafka.controllerPort(), dataDir.toAbsolutePath(),
                kafka.formattedOnStart() ? "newly formatted" : "existing data", kafka.startupTime().toMillis());
        stopped.await();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int port(String value, String option) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a port number, got '" + value + "'", e);
        }
    }

    private static void usage() {
        System.out.println("Usage: EmbeddedKafkaMain [--data-dir DIR] [--port PORT] [--controller-port PORT]");
        System.out.println("  --data-dir         persistent data directory (default " + DEFAULT_DATA_DIR + ")");
        System.out.println("  --port             client (PLAINTEXT) port, 0 = any free port (default "
                + EmbeddedKafka.DEFAULT_BROKER_PORT + ")");
        System.out.println("  --controller-port  KRaft controller port, 0 = any free port (default "
                + EmbeddedKafka.DEFAULT_CONTROLLER_PORT + ")");
    }
}
