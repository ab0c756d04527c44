package io.streamrec.tools.loadtest;

import io.streamrec.embedded.EmbeddedKafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The bench's broker in a JVM of its own ({@code bench --broker-jvm}), as a deployment runs it: its JIT, GC and threads
 * are not the app's, and it is warmed before the app starts by serving the bench's bare exactly-once baseline topology
 * ({@link BaselineTopology}, run in this child JVM) at 2,000 events/s, so the broker's request paths for consumer
 * groups, transactions and read_committed fetches are compiled, as on a broker that has served such an app, and no
 * client code in the app's JVM is. Measured reason: in the bench's JVM, or warmed with plain traffic only, the broker's
 * C2 compiler still took a third of a core a minute after the app started (docs/benchmarks.md, fifteenth pass). The
 * child prints {@code BOOTSTRAP <servers>} once it is ready and stops when its standard input closes (the bench ends,
 * or dies).
 */
final class BrokerProcess implements AutoCloseable {
    private static final String READY = "BOOTSTRAP ";
    private final Process process;
    private final String bootstrapServers;

    private BrokerProcess(Process process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    /** Child entry point: {@code <warm-up seconds> <partitions> <model dir> <work dir> [KEY=VALUE broker setting...]}. */
    public static void main(String[] args) throws Exception {
        int warmSeconds = Integer.parseInt(args[0]), partitions = Integer.parseInt(args[1]);
        Path modelDir = Path.of(args[2]), work = Path.of(args[3]);
        Map<String, String> brokerConfig = new LinkedHashMap<>();
        for (int i = 4; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            brokerConfig.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        PrintStream out = System.out;
        System.setOut(System.err); // only the ready line goes to the parent's pipe
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().brokerConfigs(brokerConfig).build()) {
            BenchCommand.primeTransactions(kafka.bootstrapServers(), "bench-broker-prime");
            if (warmSeconds > 0) {
                LoadTestSettings s = new LoadTestSettings(1_000, 1_000, 32, partitions, 2, new int[] {2_000}, warmSeconds, 0,
                        60, 0.3, 1);
                LoadTest warm = new LoadTest(s, kafka.bootstrapServers(), modelDir, work.resolve("state-broker-warm-up"),
                        "broker-warm-up", System.err, Map.of(), true);
                kafka.createTopics(warm.topics());
                warm.run();
            }
            out.println(READY + kafka.bootstrapServers());
            out.flush();
            while (System.in.read() >= 0) {
                // until the bench closes the pipe
            }
        }
    }

    /**
     * Starts the child from this process's class path with {@code heapMb} of heap, warmed for {@code warmSeconds};
     * its log and state go to {@code work} (broker.log); {@code brokerConfig} goes on top of the embedded broker's defaults.
     */
    static BrokerProcess start(int warmSeconds, int partitions, int heapMb, Path modelDir, Path work,
                               Map<String, String> brokerConfig) throws IOException {
        Path log = work.resolve("broker.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heapMb + "m", "-cp", System.getProperty("java.class.path"), BrokerProcess.class.getName(),
                Integer.toString(warmSeconds), Integer.toString(partitions), modelDir.toString(), work.toString()));
        brokerConfig.forEach((k, v) -> cmd.add(k + "=" + v));
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = lines.readLine()) != null; ) {
            if (line.startsWith(READY)) return new BrokerProcess(p, line.substring(READY.length()).trim());
        }
        p.destroyForcibly();
        throw new IllegalStateException("the broker's JVM ended before it was ready (exit " + p.exitValue() + "); its log: " + log);
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
