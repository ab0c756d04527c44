package io.streamrec.tools.chaos;

import io.streamrec.app.cli.RunCommand;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code recsys run} in a child JVM (so {@code kill -9} is real and its memory is its own), on a given state
 * directory, with its log. Used by the chaos suite and the soak.
 */
public final class AppProcess {
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    final String name;
    final Path stateDir;
    private final int port;
    private final Process process;
    public final long startedNanos = System.nanoTime();

    private AppProcess(String name, Path stateDir, int port, Process process) {
        this.name = name;
        this.stateDir = stateDir;
        this.port = port;
        this.process = process;
    }

    /** The chaos suite's child: a small serial-GC heap. */
    static AppProcess start(String name, Map<String, String> settings, Path stateDir, Path log) throws IOException {
        return start(name, List.of("-Xmx384m", "-XX:+UseSerialGC"), settings, stateDir, log);
    }

    /** A child with the given JVM options (heap size, collector), the app's {@code settings} as -D arguments. */
    public static AppProcess start(String name, List<String> jvmOptions, Map<String, String> settings, Path stateDir, Path log)
            throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS"));
        // the SIMD kernels round differently from the scalar loops: the child must run the code path this JVM
        // replays the events through, or its states differ from the uninterrupted replay in the last bits
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent()) cmd.add("--add-modules=" + VECTOR_MODULE);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), RunCommand.class.getName()));
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-Dstate.dir=" + stateDir);
        cmd.add("-Dhttp.port=" + port);
        Files.createDirectories(log.getParent());
        // the process's start in its log, so the log's own timestamps show where the start-up time goes
        Files.writeString(log, LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss.SSS"))
                + " [chaos] starting " + name + " (JVM start, then the app's own start-up lines)\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        // a parent stopped by a signal runs no finally block: its shutdown hook ends the child instead of orphaning it
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "end-" + name));
        return new AppProcess(name, stateDir, port, p);
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The child's process id (for /proc/PID/status). */
    public long pid() {
        return process.pid();
    }

    /** {@code http://127.0.0.1:PORT}: its API, /health and /metrics. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** {@code GET /health} is 200 (Kafka Streams RUNNING with the model). */
    boolean healthy() {
        try {
            var r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until healthy; returns the seconds it took from {@code fromNanos}, or -1 on timeout or death. */
    public double awaitHealthy(long fromNanos, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end && alive()) {
            if (healthy()) return (System.nanoTime() - fromNanos) / 1e9;
            Thread.sleep(100);
        }
        return -1;
    }

    /** SIGKILL: no shutdown hook, no commit, an open transaction and a locked state directory left behind. */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        return process.exitValue();
    }

    /** SIGTERM: the app's shutdown hook closes it cleanly. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) kill();
    }
}
