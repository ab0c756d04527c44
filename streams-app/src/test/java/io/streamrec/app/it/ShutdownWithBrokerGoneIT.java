package io.streamrec.app.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamrec.app.RecommenderInstance;
import io.streamrec.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worst case the grace periods must cover, measured: an instance (child JVM, as in a pod) processing a steady
 * replay loses its broker, then gets SIGTERM. Kafka Streams cannot commit and its close runs into its bound, the
 * producer's close into its own; the JVM must still exit within {@link RecommenderInstance#WORST_CASE_CLOSE} (plus
 * a little for the JVM's own exit), which the deploy tests hold below every grace period. Uses a broker of its own,
 * since it stops it.
 */
class ShutdownWithBrokerGoneIT {
    @Test
    @Timeout(180)
    void sigtermWithoutABrokerExitsWithinTheWorstCaseClose(@TempDir Path dir) throws Exception {
        AppProcess app;
        Duration exit;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            EosFixture eos = new EosFixture(kafka, "shutdown-it", 5_000);
            Map<String, String> settings = eos.settings(dir.resolve("unused"));
            app = new AppProcess("inst-1", settings, dir).start();
            try {
                app.awaitReady(Duration.ofSeconds(90));
                try (SteadyReplay replay = new SteadyReplay(eos, 100)) {
                    Thread.sleep(3_000);
                    replay.stop();
                }
                kafka.close(); // the broker goes away mid-stream, with the app's transaction open
                Thread.sleep(2_000);
                exit = app.terminate(RecommenderInstance.WORST_CASE_CLOSE.plusSeconds(20));
            } finally {
                if (app.alive()) app.kill();
            }
        }
        System.out.printf("[close] broker gone, then SIGTERM: the JVM exited after %.1f s (bound %d s)%n",
                exit.toMillis() / 1e3, RecommenderInstance.WORST_CASE_CLOSE.toSeconds());
        assertTrue(exit.compareTo(RecommenderInstance.WORST_CASE_CLOSE.plusSeconds(3)) < 0,
                "exit took " + exit + ", more than the worst case " + RecommenderInstance.WORST_CASE_CLOSE + " + 3 s");
    }
}
