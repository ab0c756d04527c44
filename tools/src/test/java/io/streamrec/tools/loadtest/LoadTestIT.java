package io.streamrec.tools.loadtest;

import io.streamrec.model.GeneratedModel;
import io.streamrec.trainer.train.TrainConfig;

import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.embedded.SharedKafkaBroker;
import io.streamrec.model.ModelDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** One tiny step of the load test against the shared real broker, exactly-once on. */
@ExtendWith(SharedKafkaBroker.class)
class LoadTestIT {

    @Test
    @Timeout(60)
    void oneSmallStepGetsAListForEveryEvent(EmbeddedKafka kafka, @TempDir Path work) throws Exception {
        Path model = work.resolve("model");
        GeneratedModel.write(model, 500, 16, TrainConfig.defaults().hidden(), 7);
        assertEquals(500, ModelDirectory.read(model).model().itemCount());

        LoadTestSettings settings = new LoadTestSettings(1000, 500, 16, 2, 1, new int[] {100}, 3, 0, 5, 0.3, 7);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LoadTest test = new LoadTest(settings, kafka.bootstrapServers(), model, work.resolve("state"),
                UUID.randomUUID().toString().substring(0, 8), new PrintStream(log, true, StandardCharsets.UTF_8),
                java.util.Map.of("metrics.stage.cpu", "true"), false).progress(true);
        kafka.createTopics(test.topics());
        List<StepResult> results = test.run();

        assertEquals(1, results.size(), log.toString(StandardCharsets.UTF_8));
        StepResult r = results.get(0);
        assertFalse(r.fellBehind(), r.row());
        assertTrue(r.drained(), "every event got its list: " + r.row());
        assertTrue(r.events() >= 250, "about 3 s at 100 events/s were acknowledged: " + r.row());
        assertTrue(r.p50Ms() > 0 && r.p50Ms() <= r.p99Ms() && r.p99Ms() <= r.p999Ms() && r.p999Ms() <= r.maxMs(), r.row());
        assertTrue(r.maxRssBytes() > r.maxHeapBytes() / 2, "RSS read from /proc: " + r.row());
        assertTrue(r.maxConsumerLag() >= 0, "lag read from the broker: " + r.row());
        assertTrue(r.streamCpuUsPerList() > 0 && r.streamCpuUsPerList() < r.cpuUsPerList(),
                "the stream threads' CPU is part of the process's: " + r.row());
        // --stage-cpu: every event's step timed, its parts inside it, the step inside the stream threads' CPU
        StageCpuPerEvent st = r.stages();
        assertNotNull(st, r.row());
        assertTrue(st.events() >= r.events() / 2, st.line());
        assertTrue(st.retrieval() > 0 && st.ranking() > 0 && st.stateRead() > 0 && st.stateWrite() > 0, st.line());
        assertTrue(st.rest() >= 0 && st.event() > st.retrieval() + st.ranking(), st.line());
        assertTrue(st.outside() > 0, "the stream threads also poll and commit: " + st.line());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("stream threads, CPU µs per event: step "), "printed per step");
        assertTrue(r.toJson().containsKey("stage_cpu_per_event"), r.toJson().toString());
        // CPU by thread group: the stream threads' share is what the stream CPU column counts; the app's includes it
        var groups = r.threadCpu();
        assertTrue(groups.get(ThreadGroupCpu.Group.STREAM) > 0, ThreadGroupCpu.line(groups));
        assertTrue(ThreadGroupCpu.app(groups) >= groups.get(ThreadGroupCpu.Group.STREAM), ThreadGroupCpu.line(groups));
        assertTrue(ThreadGroupCpu.app(groups) < r.cpuUsPerList(), "the broker and the bench are not the app's: " + ThreadGroupCpu.line(groups));
        assertTrue(r.toJson().containsKey("app_cpu_us_per_list"), r.toJson().toString());
        // --progress: a line per second of the step; the app's applied events are counted and never exceed those sent
        Matcher line = Pattern.compile("(?m)^ +[\\d.]+ s: sent ([\\d,]+), acked [\\d,]+, applied ([\\d,]+), lists seen ([\\d,]+), committed lag -?[\\d,]+$")
                .matcher(log.toString(StandardCharsets.UTF_8));
        int lines = 0;
        long sent = 0, applied = 0, seen = 0;
        while (line.find()) {
            lines++;
            sent = Long.parseLong(line.group(1).replace(",", ""));
            applied = Long.parseLong(line.group(2).replace(",", ""));
            seen = Long.parseLong(line.group(3).replace(",", ""));
        }
        assertTrue(lines >= 2, "about one progress line per second of the 3-s step:\n" + log.toString(StandardCharsets.UTF_8));
        assertTrue(applied > 0 && applied <= sent && seen <= sent, "last progress line: sent " + sent + ", applied " + applied + ", seen " + seen);
    }

    @Test
    @Timeout(60)
    void theBaselineWritesAFixedListOfTheAppsSizeForEveryEvent(EmbeddedKafka kafka, @TempDir Path work) throws Exception {
        Path model = work.resolve("model");
        GeneratedModel.write(model, 100, 8, TrainConfig.defaults().hidden(), 7);
        LoadTestSettings settings = new LoadTestSettings(1000, 100, 8, 2, 1, new int[] {100}, 3, 0, 5, 0.3, 7);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        String run = UUID.randomUUID().toString().substring(0, 8);
        LoadTest base = new LoadTest(settings, kafka.bootstrapServers(), model, work.resolve("state"), run,
                new PrintStream(log, true, StandardCharsets.UTF_8), java.util.Map.of("commit.interval.ms", "200"), true);
        assertTrue(base.topic("recommendations").contains("-baseline-"), "its own topics: " + base.topic("recommendations"));
        assertEquals("bench-" + run + "-baseline", base.appConfig().applicationId());
        assertEquals("200", base.appConfig().streamsProperties().getProperty("commit.interval.ms"), "overrides reach Kafka Streams");
        kafka.createTopics(base.topics());
        List<StepResult> results = base.run();

        StepResult r = results.get(0);
        assertFalse(r.fellBehind(), r.row());
        assertTrue(r.drained(), "every event got its list: " + r.row());
        assertTrue(r.events() >= 250, r.row());
        assertNull(r.stages(), "the bare topology has no stages to time");
        // the fixed list decodes as the app's output would, with recommend.k movies
        byte[] list = BaselineTopology.fixedList("t", base.appConfig().recommendK());
        assertEquals(base.appConfig().recommendK(),
                io.streamrec.schemas.RecordSerdes.recommendations().deserializer().deserialize("t", list).getMovies().size());
        assertEquals(1.0, BenchCommand.sustained(results) > 0 ? 1.0 : 0.0, "a kept-up step counts as sustained");
    }

    @Test
    void badSettingsNameTheField() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new LoadTestSettings(1000, 500, 16, 2, 1, new int[] {100, 0}, 3, 0, 5, 0.3, 7));
        assertTrue(e.getMessage().contains("steps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new LoadTestSettings(1000, 500, 16, 2, 1, new int[] {100}, 3, 0, 5, 1.5, 7));
        assertTrue(e.getMessage().contains("watch fraction"), e.getMessage());
    }
}
