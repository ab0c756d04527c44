package io.streamrec.tools.loadtest;

import io.streamrec.app.config.AppConfig;

import io.streamrec.core.retrieval.HnswRetriever;
import io.streamrec.core.retrieval.Int4ScreenRetriever;
import io.streamrec.core.retrieval.Retrievers;
import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.model.GeneratedModel;
import io.streamrec.model.ModelDirectory;
import io.streamrec.model.ResampledModel;
import io.streamrec.trainer.train.TrainConfig;
import org.apache.kafka.common.utils.Utils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code ./recsys bench}: the end-to-end load test on one machine. Starts an embedded KRaft
 * broker (free ports, temporary directory), generates a model of the requested size (or uses a
 * trained one), runs the streams app with exactly-once and drives it at stepped rates; prints a
 * Markdown table, one row per step.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"End-to-end load test: embedded broker + the streams app (exactly_once_v2) at stepped input rates.",
                "Per step: sustained events/s, recommendations/s, produce-to-list latency p50/p99/p99.9 seen by a"
                        + " read_committed consumer, consumer lag, heap and RSS (of this one JVM, broker included)."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--users", defaultValue = "100000", description = "Users events are drawn from (default: ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--movies", defaultValue = "20000", description = "Movies in the generated model (default: ${DEFAULT-VALUE})")
    int movies;

    @Option(names = "--dim", defaultValue = "64", description = "Embedding dimension of the generated model (default: ${DEFAULT-VALUE})")
    int dim;

    @Option(names = "--model", description = "Use this trained model directory instead of generating one (--dim is then ignored; events still draw movie ids 1..--movies, unknown ones are served as cold)")
    Path model;

    @Spec
    CommandSpec spec;

    @Option(names = "--resample", description = "With --model: serve that trained model grown to --movies items (its trained"
            + " items, then noisy copies of drawn ones, movie ids 1..--movies; ResampledModel), for catalogues larger than"
            + " any trained one")
    boolean resample;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the input and output topics (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--threads", defaultValue = "1", description = "Stream threads of the app (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--steps", split = ",", defaultValue = "1000,2000,5000,10000,20000",
            description = "Input rates in events/s, in order (default: ${DEFAULT-VALUE})")
    List<Integer> steps;

    @Option(names = "--step-seconds", defaultValue = "30", description = "Seconds per step (default: ${DEFAULT-VALUE})")
    int stepSeconds;

    @Option(names = "--warmup-seconds", defaultValue = "10", description = "Unreported warm-up at the first rate (default: ${DEFAULT-VALUE})")
    int warmupSeconds;

    @Option(names = "--max-lag-seconds", defaultValue = "5",
            description = "Stop a step once events waiting for their list exceed this many seconds of input (default: ${DEFAULT-VALUE})")
    double maxLagSeconds;

    @Option(names = "--watch-fraction", defaultValue = "0.3", description = "Share of watch events (default: ${DEFAULT-VALUE})")
    double watchFraction;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated model and events (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", description = "Also write the results table (Markdown) to this file")
    Path out;

    @Option(names = "--json", description = "Also write the results as JSON to this file")
    Path json;

    @Option(names = "--retrieval", description = "Measure retrieval alone (no Kafka): the int8-bounded exact scan, the 4-bit screen and HNSW, recall@200 against the exact SIMD scan, per-query p50/p99 and CPU, over --movies x --dim generated vectors or --model's trained ones")
    boolean retrieval;

    @Option(names = "--queries", defaultValue = "1000", description = "--retrieval: queries measured (default: ${DEFAULT-VALUE})")
    int queries;

    @Option(names = "--history", defaultValue = "20", description = "--retrieval: each query is the sum of this many random"
            + " items' vectors, as a user's vector with that history; fewer make weaker queries (default: ${DEFAULT-VALUE})")
    int history;

    @Option(names = "--ef", split = ",", defaultValue = "100,200,400,800",
            description = "--retrieval: HNSW search widths to measure; the default index's (400) is the headline (default: ${DEFAULT-VALUE})")
    List<Integer> efs;

    @Option(names = "--graph", defaultValue = "ANGULAR", description = "--retrieval: how the HNSW graph links items, ANGULAR or INNER_PRODUCT (default: ${DEFAULT-VALUE})")
    HnswRetriever.GraphSimilarity graph;

    @Option(names = "--baseline", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "After the app, run a bare Kafka Streams exactly-once topology (read each event, write a fixed list of the same size) on the same broker and event stream, and report our rate as a fraction of it (default: ${DEFAULT-VALUE})")
    boolean baselineRun;

    @Option(names = "--baseline-steps", split = ",", defaultValue = "5000,10000,20000,40000,80000",
            description = "Input rates of the baseline's steps (default: ${DEFAULT-VALUE})")
    List<Integer> baselineSteps;

    @Option(names = "--app-config", description = "KEY=VALUE setting for the app under test (and the baseline), e.g. producer.linger.ms=5; repeatable")
    Map<String, String> appConfig = new java.util.LinkedHashMap<>();

    @Option(names = "--broker-config", description = "KEY=VALUE setting for the bench's broker, on top of the embedded"
            + " defaults, e.g. num.io.threads=2; repeatable (with --broker-jvm also during its warm-up)")
    Map<String, String> brokerConfig = new java.util.LinkedHashMap<>();

    @Option(names = "--stage-cpu", description = "Also print, per step, the stream threads' CPU per event by stage of the"
            + " per-user step (retrieval, ranking call, state reads and writes, the rest) and outside it: the app setting"
            + " metrics.stage.cpu, which adds ~3 µs per event")
    boolean stageCpu;

    @Option(names = "--progress", description = "Also print, every second of the warm-up and each step, the events sent,"
            + " acknowledged and applied by the app, the lists seen on the output and the committed lag (where a cold"
            + " start's lists wait)")
    boolean progress;

    @Option(names = "--cold-broker", description = "Do not create the broker's transaction log before the app starts (by default one"
            + " transaction is committed first, as on any broker that has served transactions before: the app then starts cold, the broker does not)")
    boolean coldBroker;

    @Option(names = "--broker-jvm", description = "Run the broker in a JVM of its own, as a deployment does: its JIT, GC"
            + " and threads are then not the app's, and it is warmed first (--warm-broker-seconds); its CPU is reported as"
            + " the broker's own JVM. By default it runs in the bench's JVM")
    boolean brokerJvm;

    @Option(names = "--warm-broker-seconds", defaultValue = "60", description = "With --broker-jvm: the bare exactly-once"
            + " baseline topology runs in the broker's JVM at 2,000 events/s for this many seconds before the app starts,"
            + " so the broker's code is compiled as on a broker that has served such an app; the app's JVM stays cold"
            + " (default: ${DEFAULT-VALUE})")
    int warmBrokerSeconds;

    @Option(names = "--hnsw-m", defaultValue = "16", description = "--retrieval: HNSW neighbours per node (default: ${DEFAULT-VALUE})")
    int hnswM;

    @Option(names = "--hnsw-beam", description = "--retrieval: HNSW beam width while building (default: the index's, 100)")
    Integer hnswBeam;

    @Option(names = "--hnsw", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "--retrieval: build and measure the HNSW index (its 1M-item build takes tens of minutes on 2 cores); --no-hnsw measures the scans only (default: ${DEFAULT-VALUE})")
    boolean hnswRun;

    @Option(names = "--overfetch", split = ",", description = "--retrieval: items re-scored exactly per item returned by the 4-bit screen"
            + " (Int4ScreenRetriever), one measurement each; the first is the headline of a --no-hnsw run (default: the retriever's, 4)")
    List<Integer> overFetch;

    @Option(names = "--probe", split = ",", converter = ProbeShareConverter.class, description = "--retrieval: shares of"
            + " the items the 4-bit screen probes in cells (ItemCells), each measured with each --overfetch; 1 screens every"
            + " block without cells, auto the share the screen calibrates for its catalogue; the first is the headline"
            + " (default: what the app serves at --movies, Retrievers.probeShareFor)")
    List<Float> probe;

    /** A probe share, or {@code auto}: the screen's calibrated share ({@link Int4ScreenRetriever#CALIBRATED}). */
    static final class ProbeShareConverter implements CommandLine.ITypeConverter<Float> {
        @Override
        public Float convert(String value) {
            if (value.equalsIgnoreCase("auto")) return Int4ScreenRetriever.CALIBRATED;
            float share = Float.parseFloat(value);
            if (!(share > 0f)) throw new CommandLine.TypeConversionException("a probe share is > 0 or auto, got " + value);
            return share;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (resample && model == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--resample needs --model DIR (the trained model to grow)");
        }
        if (retrieval) {
            HnswRetriever.Settings defaults = HnswRetriever.Settings.defaults();
            HnswRetriever.Settings s = new HnswRetriever.Settings(hnswM, hnswBeam != null ? hnswBeam : defaults.beamWidth(), defaults.ef(),
                    defaults.maxStale(), defaults.seed(), graph, defaults.buildThreads());
            String loadBefore = loadAverage();
            Map<String, Object> result = new RetrievalBench(movies, dim, model, queries, efs, defaults.ef(), s, seed, System.out, hnswRun,
                    overFetch != null ? overFetch : List.of(Int4ScreenRetriever.DEFAULT_OVER_FETCH),
                    probe != null ? probe : List.of(Retrievers.probeShareFor(movies))).history(history).run();
            result.put("load_average_before", loadBefore);
            result.put("load_average_after", loadAverage());
            System.out.printf("load average before %s, after %s%n", loadBefore, result.get("load_average_after"));
            if (json != null) RetrievalBench.writeJson(result, json);
            return 0;
        }
        // the settings line names the served model's dimension: --dim applies to a generated model only
        int servedDim = model == null ? dim : ModelDirectory.manifest(model).dim();
        LoadTestSettings settings = new LoadTestSettings(users, movies, servedDim, partitions, threads,
                steps.stream().mapToInt(Integer::intValue).toArray(), stepSeconds, warmupSeconds, maxLagSeconds, watchFraction, seed);
        Path work = Files.createTempDirectory("streamrec-bench-");
        try {
            Path modelDir = model;
            if (resample) { // --resample without --model was refused above
                modelDir = work.resolve("model");
                long t0 = System.nanoTime();
                ResampledModel.write(model, modelDir, movies, seed);
                System.out.printf("resampled %s to %,d movies (%.1f s)%n", model, movies, (System.nanoTime() - t0) / 1e9);
            } else if (modelDir == null) {
                modelDir = work.resolve("model");
                long t0 = System.nanoTime();
                GeneratedModel.write(modelDir, movies, dim, TrainConfig.defaults().hidden(), seed);
                System.out.printf("generated a model: %,d movies, dim %d, random vectors and ranker weights (%.1f s)%n",
                        movies, dim, (System.nanoTime() - t0) / 1e9);
            }
            String machine = machine();
            System.out.println(machine);
            System.out.println(settings);
            String loadBefore = loadAverage();
            List<StepResult> results;
            List<StepResult> baselineResults = List.of();
            String run = UUID.randomUUID().toString().substring(0, 8);
            if (stageCpu) appConfig.put(AppConfig.METRICS_STAGE_CPU_CONFIG, "true");
            long tb = System.nanoTime();
            try (AutoCloseable broker = brokerJvm ? BrokerProcess.start(warmBrokerSeconds, partitions, 1024, modelDir, work, brokerConfig)
                    : EmbeddedKafka.builder().brokerConfigs(brokerConfig).build()) {
                String bootstrap;
                if (broker instanceof BrokerProcess child) {
                    bootstrap = child.bootstrapServers();
                    ThreadGroupCpu.brokerProcess(child.pid());
                    System.out.printf("broker in a JVM of its own (pid %d) at %s, warmed %d s (%d ms; log %s)%n", child.pid(),
                            bootstrap, warmBrokerSeconds, (System.nanoTime() - tb) / 1_000_000, work.resolve("broker.log"));
                } else {
                    EmbeddedKafka kafka = (EmbeddedKafka) broker;
                    bootstrap = kafka.bootstrapServers();
                    System.out.printf("embedded broker at %s (%d ms)%n", bootstrap, kafka.startupTime().toMillis());
                }
                LoadTest test = new LoadTest(settings, bootstrap, modelDir, work.resolve("state"), run, System.out,
                        appConfig, false).progress(progress);
                EmbeddedKafka.createTopics(bootstrap, test.topics());
                if (!coldBroker && !brokerJvm) { // the broker's own JVM primes itself
                    long t0 = System.nanoTime();
                    primeTransactions(bootstrap, "bench-" + run + "-prime");
                    System.out.printf("broker transaction log created (one committed transaction, %d ms)%n", (System.nanoTime() - t0) / 1_000_000);
                }
                results = test.run();
                if (baselineRun) {
                    LoadTestSettings b = new LoadTestSettings(users, movies, servedDim, partitions, threads,
                            baselineSteps.stream().mapToInt(Integer::intValue).toArray(), stepSeconds, warmupSeconds, maxLagSeconds,
                            watchFraction, seed);
                    System.out.println("baseline: bare Kafka Streams exactly-once topology, read each event, write a fixed list");
                    LoadTest base = new LoadTest(b, bootstrap, modelDir, work.resolve("state-baseline"), run, System.out,
                            appConfig, true);
                    EmbeddedKafka.createTopics(bootstrap, base.topics());
                    baselineResults = base.run();
                }
            }
            String loadAfter = loadAverage();
            double sustained = sustained(results), baselineRate = sustained(baselineResults);
            List<String> lines = new ArrayList<>();
            lines.add(machine + "; load average before " + loadBefore + ", after " + loadAfter);
            lines.add(settings.toString());
            lines.add("");
            lines.add(StepResult.header());
            for (StepResult r : results) lines.add(r.row());
            for (StepResult r : results) {
                lines.add(String.format("%,d events/s:", r.targetRate()));
                r.details().lines().filter(l -> !l.isEmpty()).forEach(lines::add);
            }
            if (baselineRun) {
                lines.add("");
                lines.add("baseline (bare Kafka Streams, exactly-once, fixed list):");
                lines.add(StepResult.header());
                for (StepResult r : baselineResults) lines.add(r.row());
                lines.add("");
                lines.add(String.format("sustained: %,.0f lists/s; baseline %,.0f lists/s%s; ours = %.1f%% of it", sustained, baselineRate,
                        baselineResults.stream().allMatch(StepResult::sustained) ? " (sustained at every baseline step: a lower bound)" : "",
                        baselineRate > 0 ? 100 * sustained / baselineRate : Double.NaN));
            }
            System.out.println();
            lines.forEach(System.out::println);
            if (out != null) Files.write(out, lines);
            if (json != null) {
                Map<String, Object> j = new java.util.LinkedHashMap<>();
                j.put("movies", movies);
                j.put("threads", threads);
                j.put("dim", model == null ? dim : null);
                j.put("model", model == null ? "generated" : resample ? model + ", resampled to " + movies + " movies" : model.toString());
                j.put("partitions", partitions);
                j.put("app_config", appConfig);
                j.put("cold_broker", coldBroker);
                j.put("sustained_lists_per_s", sustained);
                j.put("baseline_lists_per_s", baselineRun ? baselineRate : null);
                j.put("baseline_kept_up_at_every_step", baselineRun ? baselineResults.stream().noneMatch(StepResult::fellBehind) : null);
                j.put("fraction_of_baseline", baselineRun && baselineRate > 0 ? sustained / baselineRate : null);
                j.put("steps", results.stream().map(StepResult::toJson).toList());
                j.put("baseline_steps", baselineResults.stream().map(StepResult::toJson).toList());
                j.put("machine", machine);
                j.put("load_average_before", loadBefore);
                j.put("load_average_after", loadAfter);
                new com.fasterxml.jackson.databind.ObjectMapper().enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                        .writeValue(json.toFile(), j);
            }
            return 0;
        } finally {
            deleteQuietly(work);
        }
    }

    /**
     * Commits one transaction so that the broker creates and loads its transaction log
     * ({@code __transaction_state}) now: on a fresh broker the first transactional producers otherwise wait
     * for it (docs/benchmarks.md, start-up stall).
     */
    static void primeTransactions(String bootstrapServers, String topic) {
        EmbeddedKafka.createTopics(bootstrapServers, Map.of(topic, 1));
        Map<String, Object> p = Map.of(
                org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                org.apache.kafka.clients.producer.ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(p,
                new org.apache.kafka.common.serialization.ByteArraySerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, new byte[0]));
            producer.commitTransaction();
        }
    }

    /** Highest list rate among sustained steps ({@link StepResult#sustained}; 0 when none was). */
    static double sustained(List<StepResult> steps) {
        return steps.stream().filter(StepResult::sustained).mapToDouble(StepResult::recsPerSecond).max().orElse(0);
    }

    /** The 1, 5 and 15 minute load averages (other work on the machine), or "unknown". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static String machine() {
        Runtime rt = Runtime.getRuntime();
        return String.format("machine: %d cores%s, %s %s (%s), max heap %,d MB", rt.availableProcessors(), cpu(),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"), System.getProperty("os.arch"),
                rt.maxMemory() >> 20);
    }

    /**
     * " (model, clock)" from /proc/cpuinfo, or "" where there is none: the same command cost ~1.75× the CPU per list
     * on a 2.1-GHz Xeon as on an EPYC (docs/benchmarks.md, tenth pass), so a figure names the processor it ran on.
     */
    static String cpu() {
        Path info = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(info)) return "";
        try (var lines = Files.lines(info)) {
            String model = null, mhz = null;
            for (String line : (Iterable<String>) lines::iterator) {
                int colon = line.indexOf(':');
                if (colon < 0) continue;
                String key = line.substring(0, colon).trim(), value = line.substring(colon + 1).trim();
                if (model == null && key.equals("model name")) model = value;
                if (mhz == null && key.equals("cpu MHz")) mhz = value;
                if (model != null && mhz != null) break;
            }
            if (model == null) return "";
            return " (" + model + (mhz != null ? ", " + Math.round(Double.parseDouble(mhz)) + " MHz" : "") + ")";
        } catch (IOException | RuntimeException e) {
            return ""; // a description, never a reason to fail a run
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
