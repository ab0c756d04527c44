package io.streamrec.tools.demo;

import io.streamrec.tools.replay.PacedReplayer;
import io.streamrec.app.RecommenderInstance;
import io.streamrec.app.config.AppConfig;
import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.embedded.KafkaLogging;
import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.DataSource;
import org.apache.kafka.common.utils.Utils;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./recsys demo}: everything in one JVM, started in order and stopped in reverse on Ctrl-C.
 * <ol>
 *   <li>an embedded single-node KRaft broker on fixed ports with its data under {@code --dir} (kept across runs);</li>
 *   <li>the topics: ratings, watches and recommendations with {@code --partitions}, movies (compacted), the DLQ, and
 *       {@code model-versions} (compacted, one partition): a model published there while the demo runs
 *       ({@code ./recsys train ... --publish}, printed at start) is swapped in without a restart;</li>
 *   <li>a model trained on the data (MovieLens with {@code --data}, else generated), reused while the data is the same;</li>
 *   <li>the streams app with its HTTP server: the web page, the query API, health and metrics;</li>
 *   <li>the catalogue, then the events in time order at {@code --rate} (changeable while running);</li>
 *   <li>a status line once a second.</li>
 * </ol>
 */
public final class Demo {
    public static final String APPLICATION_ID = "streamrec-demo";
    static final String MODEL_VERSIONS_TOPIC = "model-versions";

    /** The demo's options; the compact constructor names the option that is wrong. */
    public record Options(Path data, double rate, int httpPort, int kafkaPort, int controllerPort, int partitions, Path dir,
                          boolean fresh, boolean retrain, double poisonFraction, Map<String, String> overrides) {
        public Options {
            if (!(rate >= 0)) throw new IllegalArgumentException("--rate: must be >= 0 events/s, was " + rate);
            if (partitions < 1 || partitions > 64) throw new IllegalArgumentException("--partitions: must be from 1 to 64, was " + partitions);
            if (!(poisonFraction >= 0 && poisonFraction <= 0.5)) throw new IllegalArgumentException("--poison-fraction: must be from 0 to 0.5, was " + poisonFraction);
            for (int port : new int[]{httpPort, kafkaPort, controllerPort}) {
                if (port < 1 || port > 65535) throw new IllegalArgumentException("ports: must be from 1 to 65535, was " + port);
            }
            if (data != null && !Files.isDirectory(data)) throw new IllegalArgumentException("--data: not a directory: " + data);
            overrides = Map.copyOf(overrides);
        }
    }

    private Demo() {}

    /** Runs until the JVM is asked to stop (Ctrl-C / SIGTERM). */
    public static void run(Options o, PrintStream out) throws Exception {
        quietServerLogs();
        if (o.fresh() && Files.exists(o.dir())) {
            out.println("--fresh: deleting " + o.dir());
            Utils.delete(o.dir().toFile());
        }
        Dataset data = DataSource.load(o.data());
        String source = DataSource.describe(o.data());

        Running running = new Running(out);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            done.countDown();
        }, "demo-shutdown"));

        out.printf("kafka: starting a single-node KRaft broker on localhost:%d (data in %s)...%n", o.kafkaPort(), o.dir().resolve("kafka"));
        running.kafka = EmbeddedKafka.builder().dataDir(o.dir().resolve("kafka")).brokerPort(o.kafkaPort())
                .controllerPort(o.controllerPort()).build();
        out.printf("kafka: ready at %s in %.1f s (%s)%n", running.kafka.bootstrapServers(), running.kafka.startupTime().toMillis() / 1e3,
                running.kafka.formattedOnStart() ? "new" : "existing data");

        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", running.kafka.bootstrapServers());
        settings.put("application.id", APPLICATION_ID);
        settings.put("model.dir", o.dir().resolve("model").toString());
        settings.put("state.dir", o.dir().resolve("state").toString());
        settings.put("http.port", Integer.toString(o.httpPort()));
        settings.put("topic.model-versions", MODEL_VERSIONS_TOPIC); // hot swap: publish a retrained model while it runs
        settings.putAll(o.overrides());
        AppConfig config = AppConfig.of(settings);
        createTopics(running.kafka, config, o.partitions());

        DemoModel.ensure(data, source, config.modelDir(), o.retrain(), out);

        out.println("app: starting the streams app and the HTTP server...");
        running.service = RecommenderInstance.start(config, "localhost");
        if (!running.service.app().awaitRunning(Duration.ofSeconds(120))) {
            throw new IllegalStateException("the streams app did not reach RUNNING (state " + running.service.app().streams().state() + ")");
        }
        running.position = new ReplayPosition(o.dir().resolve("replay-position.txt"), source);
        int startAt = running.position.read();
        if (startAt >= data.events().size()) {
            out.println("replay: every event was replayed in earlier runs; starting again from the first (--fresh starts from nothing)");
            startAt = 0;
        } else if (startAt > 0) {
            out.printf("replay: continuing after the %,d events replayed in earlier runs (--fresh starts from nothing)%n", startAt);
        }
        running.replayer = new PacedReplayer(data, running.kafka.bootstrapServers(), config.ratingsTopic(), config.watchesTopic(),
                config.moviesTopic(), o.rate(), o.poisonFraction(), startAt, Integer.MAX_VALUE);
        Thread replay = new Thread(running.replayer, "demo-replay");
        replay.setDaemon(true);
        running.replayThread = replay;
        replay.start();

        String url = "http://localhost:" + running.service.http().port() + "/";
        out.println();
        out.println("  web page   " + url + "   (choose a user, rate a movie, click the map)");
        out.println("  API        " + url + "users/{id}/recommendations   " + url + "movies/{id}/similar?k=10   POST " + url + "events");
        out.println("  ops        " + url + "health   " + url + "metrics");
        out.println("  kafka      " + running.kafka.bootstrapServers() + "   (./recsys tail --bootstrap " + running.kafka.bootstrapServers() + ")");
        out.println("  model      " + running.service.app().served().version() + " from " + config.modelDir()
                + "   (training-curve.png, embedding-map.png)");
        if (!config.modelVersionsTopic().isEmpty()) {
            out.println("  retrain    " + retrainCommand(o, running.kafka.bootstrapServers(), config.modelVersionsTopic())
                    + "   (in another terminal: trains, publishes, and the app swaps to it; the status line's model changes)");
        }
        out.printf("  replaying  %,d events at %.0f/s: type a new rate + Enter to change it (0 pauses); Ctrl-C stops everything%n%n",
                data.events().size(), o.rate());

        Thread status = new Thread(new StatusLine(running.service, running.replayer, out), "demo-status");
        status.setDaemon(true);
        running.statusThread = status;
        status.start();
        Thread input = new Thread(() -> readRates(running.replayer, out), "demo-input");
        input.setDaemon(true);
        input.start();
        done.await();
    }

    /** The command that retrains on the demo's data and publishes the model to the running demo. */
    static String retrainCommand(Options o, String bootstrap, String topic) {
        String data = o.data() == null ? "--synthetic" : "--data " + o.data();
        return "./recsys train " + data + " --out " + o.dir().resolve("models").resolve("retrained") + " --no-evaluate --publish"
                + " --publish-bootstrap " + bootstrap + (topic.equals(MODEL_VERSIONS_TOPIC) ? "" : " --publish-topic " + topic);
    }

    /** Start-up lines that say nothing to a person would scroll the status line away; real warnings still show. */
    private static void quietServerLogs() {
        for (String logger : new String[]{"io.javalin", "org.eclipse.jetty"}) KafkaLogging.quiet(logger, "warn");
        // retried produce errors while the broker finishes the previous run's transactions: expected on a restart
        KafkaLogging.quiet("org.apache.kafka.clients.producer.internals.Sender", "error");
        // Kafka Streams' notice that a future release enables the global processing-exception handler by default,
        // and the controller's note that it is bootstrapping a new cluster's metadata log
        KafkaLogging.quiet("org.apache.kafka.streams.StreamsConfig", "error");
        KafkaLogging.quiet("org.apache.kafka.controller.QuorumController", "error");
    }

    private static void createTopics(EmbeddedKafka kafka, AppConfig c, int partitions) {
        kafka.createTopics(Map.of(c.ratingsTopic(), partitions, c.watchesTopic(), partitions, c.recommendationsTopic(), partitions,
                c.dlqTopic(), 1));
        kafka.createTopics(Map.of(c.moviesTopic(), 1), Map.of("cleanup.policy", "compact"));
        if (!c.modelVersionsTopic().isEmpty()) kafka.createTopics(Map.of(c.modelVersionsTopic(), 1), Map.of("cleanup.policy", "compact"));
    }

    /** Reads lines from the terminal: a number sets the replay rate. Ends quietly when there is no terminal input. */
    private static void readRates(PacedReplayer replayer, PrintStream out) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                line = line.trim();
                if (line.isEmpty()) continue;
                try {
                    replayer.setRate(Double.parseDouble(line));
                    out.printf("%nrate: %.0f events/s%n", replayer.rate());
                } catch (IllegalArgumentException e) {
                    out.printf("%nrate: type a number of events per second (0 pauses), not \"%s\"%n", line);
                }
            }
        } catch (IOException e) {
            // no terminal: the rate stays as given
        }
    }

    /** What is running, closed in reverse order of starting; safe to call with parts never started. */
    private static final class Running implements AutoCloseable {
        private final PrintStream out;
        EmbeddedKafka kafka;
        RecommenderInstance service;
        PacedReplayer replayer;
        ReplayPosition position;
        Thread replayThread;
        Thread statusThread;

        Running(PrintStream out) {
            this.out = out;
        }

        @Override
        public synchronized void close() {
            if (statusThread != null) {
                statusThread.interrupt();
                try {
                    statusThread.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            out.println();
            out.println("stopping: replay...");
            if (replayer != null) replayer.stop();
            if (replayThread != null) {
                try {
                    replayThread.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                position.write(replayer.position());
            }
            if (service != null) {
                out.println("stopping: streams app (committing state) and HTTP server...");
                service.close();
            }
            if (kafka != null) {
                out.println("stopping: kafka...");
                kafka.close();
            }
            out.println("stopped cleanly.");
            out.flush();
        }
    }
}
