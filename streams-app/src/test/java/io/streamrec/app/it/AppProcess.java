package io.streamrec.app.it;

import io.streamrec.app.cli.RunCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One instance as a pod runs it: {@code run} in its own JVM, a stable {@code group.instance.id} (static membership)
 * and its own state directory, which survives a restart of the process like a pod's volume.
 */
final class AppProcess {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    final String name;
    final Path stateDir;
    final Path log;
    private final Map<String, String> settings;
    private Process process;
    private int port;

    /** The last {@code lines} lines of a child's log, for a failure message (the log's directory is deleted after the test). */
    static String tail(Path log, int lines) throws IOException {
        List<String> all = Files.exists(log) ? Files.readAllLines(log) : List.of("(no log)");
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    AppProcess(String name, Map<String, String> common, Path root) {
        this.name = name;
        this.stateDir = root.resolve(name + "-state");
        this.log = root.resolve(name + ".log");
        this.settings = new LinkedHashMap<>(common);
    }

    /** Starts (or restarts, same identity and state directory) the JVM. */
    AppProcess start() throws IOException {
        port = freePort();
        Map<String, String> s = new LinkedHashMap<>(settings);
        s.put("state.dir", stateDir.toString());
        s.put("group.instance.id", name);
        s.put("http.port", Integer.toString(port));
        s.put("application.server", "localhost:" + port);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                RunCommand.class.getName()));
        s.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        Files.createDirectories(stateDir);
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return this;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Waits until {@code /health/ready} answers 200; fails if the process dies first. */
    void awaitReady(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!alive()) throw new AssertionError(name + " died; see " + log);
            if (status("/health/ready") == 200) return;
            Thread.sleep(200);
        }
        throw new AssertionError(name + " not ready after " + timeout + "; see " + log);
    }

    int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGTERM, as the kubelet sends it; returns how long the JVM took to exit. */
    Duration terminate(Duration grace) throws InterruptedException {
        long t0 = System.nanoTime();
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(name + " did not exit within " + grace + " of SIGTERM; see " + log);
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** SIGKILL: no shutdown hook, no close, the state directory left as it was. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
