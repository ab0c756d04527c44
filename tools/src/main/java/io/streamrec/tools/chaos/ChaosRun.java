package io.streamrec.tools.chaos;

import io.streamrec.app.EventProducers;
import io.streamrec.app.dlq.DeadLetters;
import io.streamrec.app.state.UserStateSerde;
import io.streamrec.app.topology.EventTopology;
import io.streamrec.core.events.EventRules;
import io.streamrec.core.learn.OnlineLearner;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.model.GeneratedModel;
import io.streamrec.model.ModelDirectory;
import io.streamrec.schemas.EventRecords;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;

/**
 * One chaos run, end to end, on a real KRaft broker (in this JVM) and {@code recsys run} instances in child JVMs:
 * a generated model; {@code events} valid events, each with an {@code eventId}, plus {@code fuzz} bad records
 * mixed in, all produced up front; then, while one instance works through them, {@code kills} SIGKILLs at random
 * moments (each proven mid-stream by the committed input offsets, each restarted on the same state directory), one
 * broker restart, and a second instance that joins and is killed for good (the first takes its partitions over from
 * the standby replicas). At the end: every valid event applied exactly once (each user's eventCount 1..n), every
 * final user state equal field by field to the core learner applied once to each event in order (what one
 * uninterrupted run computes), every bad record in the dead-letter topic with the reason it must have.
 */
final class ChaosRun {
    private static final Duration HEALTH_BOUND = Duration.ofSeconds(120);
    /** Lists must resume within this long of a restarted instance's process starting (the issue's bound). */
    static final double RESUME_BOUND_SECONDS = 10.0;

    /** @param rate valid events per second produced while the app runs (after the first tenth, produced at once) */
    record Settings(int kills, int events, int fuzz, int movies, long seed, Path work, int rate) {}

    /** What one fault did to the stream. */
    record Fault(String what, long committedInput, double healthSeconds, double resumeSeconds, double gapSeconds) {}

    private final Settings s;
    private final PrintStream out;
    private final long now = System.currentTimeMillis();
    private final long baseTime = now - 3_600_000L;
    private final Map<String, String> topics = new LinkedHashMap<>();
    private final String appId = "chaos-" + UUID.randomUUID().toString().substring(0, 8);
    private int[] users, movies, seconds;
    private float[] ratings;
    private final Map<String, Integer> expectedReasons = new TreeMap<>();
    private long inputRecords;
    private EmbeddedKafka broker;
    private int restarts;
    private final List<Fault> faults = new ArrayList<>();

    ChaosRun(Settings settings, PrintStream out) {
        this.s = settings;
        this.out = out;
        topics.put("topic.ratings", "ratings");
        topics.put("topic.watches", "watches");
        topics.put("topic.movies", "movies");
        topics.put("topic.recommendations", "recommendations");
        topics.put("topic.dlq", "recommender-dlq");
    }

    /** Every child started, so a failed run leaves no JVM behind. */
    private final List<AppProcess> started = new ArrayList<>();

    ChaosReport run() throws Exception {
        // this JVM's broker and clients live through the broker restart and the kills: their reconnect warnings and
        // the aborted transactions' errors are expected here (each instance's own log is in the working directory)
        io.streamrec.embedded.KafkaLogging.quiet("org.apache.kafka", "off");
        io.streamrec.embedded.KafkaLogging.quiet("kafka", "off");
        try {
            return runChecked();
        } finally {
            faultsDone.countDown();
            for (AppProcess p : started) if (p.alive()) p.kill();
            if (broker != null) broker.close();
        }
    }

    private AppProcess start(String name, Map<String, String> app, Path state, Path log) throws java.io.IOException {
        AppProcess p = AppProcess.start(name, app, state, log);
        started.add(p);
        return p;
    }

    private ChaosReport runChecked() throws Exception {
        long t0 = System.nanoTime();
        Path modelDir = s.work().resolve("model");
        GeneratedModel.write(modelDir, s.movies(), 32, new int[] {64, 32}, s.seed());
        RecommenderModel model = ModelDirectory.read(modelDir).model();
        Path brokerDir = s.work().resolve("broker");
        broker = EmbeddedKafka.builder().dataDir(brokerDir).build();
        int brokerPort = broker.brokerPort(), controllerPort = broker.controllerPort();
        Map<String, Integer> partitions = new LinkedHashMap<>();
        topics.values().forEach(t -> partitions.put(t, 4));
        broker.createTopics(partitions);
        generate();
        inputRecords = (long) s.events() + s.fuzz();
        Thread producer = new Thread(this::produceQuietly, "chaos-input");
        producer.setDaemon(true);
        producer.start();
        out.printf("chaos: %,d valid events and %,d fuzzed records to %s (%,d input records; a tenth at once, the rest"
                + " at %,d events/s while the app runs), model of %,d movies%n", s.events(), s.fuzz(),
                broker.bootstrapServers(), inputRecords, s.rate(), s.movies());

        Map<String, String> app = new LinkedHashMap<>(topics);
        app.put("bootstrap.servers", broker.bootstrapServers());
        app.put("application.id", appId);
        app.put("model.dir", modelDir.toString());
        app.put("num.standby.replicas", "1");
        // a member that never returns (the killed second instance) is replaced after this; restarts come back sooner
        app.put("session.timeout.ms", "10000");
        // wait for both input partitions of a task before choosing the next record, so cross-topic order holds: the
        // check compares with the events applied in their written order, so order matters more than latency here.
        // 2 s was not enough on a starved machine (load 13-25: 50 of 2,500 users' events applied in another order)
        app.put("max.task.idle.ms", "10000");
        // items as trained: the final user states are compared with the learner over the trained item vectors (with
        // items learning online a user's step sees item vectors that moved at times set by commits; SigkillRestartIT
        // covers that case)
        app.put("items.learn.online", "false");
        Path logs = s.work().resolve("logs");
        Path stateA = s.work().resolve("state-a");

        ListWatcher watcher = new ListWatcher(broker.bootstrapServers(), topics.get("topic.recommendations"));
        AppProcess a = start("a", app, stateA, logs.resolve("a-0.log"));
        require(a.awaitHealthy(a.startedNanos, HEALTH_BOUND) >= 0, "instance a did not come up; see " + logs);

        int planned = s.kills() + 2; // the kills, one broker restart, one instance killed for good
        // the second instance early, while most of the stream is still ahead; the broker restart in the middle
        int takeoverAt = 0, brokerAt = Math.max(1, planned / 2);
        SplittableRandom rnd = new SplittableRandom(s.seed() ^ 0x5eed);
        double step = 0.9 * s.events() / (planned + 1);
        int kill = 0;
        for (int f = 0; f < planned; f++) {
            int target = (int) (step * (f + 1) + (rnd.nextDouble() - 0.5) * 0.6 * step);
            awaitLists(watcher, target, a);
            if (f == brokerAt) {
                restartBroker(brokerDir, brokerPort, controllerPort, watcher, a);
            } else if (f == takeoverAt) {
                takeover(app, logs, watcher, a, rnd);
            } else {
                a = killAndRestart(a, app, logs, watcher, ++kill);
            }
        }
        faultsDone.countDown();
        awaitLists(watcher, s.events(), a);
        producer.join();
        require(produceError == null, "input not written: " + produceError);
        Thread.sleep(2000); // a repeat written after the last expected list would show now
        Map<Long, List<Long>> counts = watcher.counts();
        watcher.close();

        // ---- checks ----
        long lost = 0, duplicated = 0, usersWithGaps = 0;
        Map<Long, Integer> expectedPerUser = new HashMap<>();
        for (int i = 0; i < s.events(); i++) expectedPerUser.merge((long) users[i], 1, Integer::sum);
        for (var e : expectedPerUser.entrySet()) {
            List<Long> seq = counts.getOrDefault(e.getKey(), List.of());
            long distinct = seq.stream().distinct().count();
            lost += e.getValue() - distinct;
            duplicated += seq.size() - distinct;
            boolean inOrder = true;
            for (int k = 0; k < seq.size(); k++) inOrder &= seq.get(k) == k + 1;
            if (!inOrder || seq.size() != e.getValue()) usersWithGaps++;
        }
        for (var u : counts.keySet()) if (!expectedPerUser.containsKey(u)) duplicated += counts.get(u).size();
        Map<String, Integer> dlqReasons = readDeadLetters();
        int inDlq = dlqReasons.values().stream().mapToInt(Integer::intValue).sum();
        int[] states = compareStates(model);
        a.stop();
        broker.close();
        return new ChaosReport(s, faults, restarts, lost, duplicated, usersWithGaps, inDlq, expectedReasons, dlqReasons,
                states[0], states[1], (System.nanoTime() - t0) / 1e9);
    }

    // ---- the input ----

    private void generate() {
        SplittableRandom rnd = new SplittableRandom(s.seed());
        int n = s.events(), userCount = Math.max(20, n / 40);
        users = new int[n];
        movies = new int[n];
        ratings = new float[n];
        seconds = new int[n];
        for (int i = 0; i < n; i++) {
            double u = rnd.nextDouble(), m = rnd.nextDouble();
            users[i] = 1 + (int) (userCount * u * u);
            movies[i] = 1 + (int) (s.movies() * m * m * m);
            boolean watch = rnd.nextInt(5) == 0;
            ratings[i] = watch ? Float.NaN : 0.5f * (1 + rnd.nextInt(10));
            seconds[i] = watch ? rnd.nextInt(7000) : 0;
        }
    }

    private volatile Exception produceError;
    /** The last tenth of the input is held back until every fault is done, so each fault meets a live stream. */
    private final java.util.concurrent.CountDownLatch faultsDone = new java.util.concurrent.CountDownLatch(1);

    private void produceQuietly() {
        try {
            produce();
        } catch (Exception e) {
            produceError = e;
        }
    }

    /** All input, in event order: the first tenth at once, then paced at {@code rate} valid events per second. */
    private void produce() throws Exception {
        Properties p = EventProducers.settings(broker.bootstrapServers());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2_000_000);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // one request in flight: right after topic creation a first batch may meet NOT_LEADER_OR_FOLLOWER while later
        // ones are written, and the retried first batch is then refused as out of order for good (see EosFixture)
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        Fuzzer fuzzer = new Fuzzer(s.seed() + 1, now);
        SplittableRandom where = new SplittableRandom(s.seed() + 2);
        int[] fuzzAfter = new int[s.events()];
        for (int k = 0; k < s.fuzz(); k++) fuzzAfter[where.nextInt(s.events())]++;
        String ratingsTopic = topics.get("topic.ratings"), watchesTopic = topics.get("topic.watches");
        List<Future<?>> sent = new ArrayList<>();
        // Cross-topic order per user: Kafka Streams takes a task's next record by timestamp among the partitions it
        // has data for, and a partition that looks caught up does not hold it back (max.task.idle.ms waits only for
        // unknown lag). A watch still in the producer's buffer while the user's next rating is already on the broker
        // would be applied after it. So, as any producer that needs a user's order across the two topics must, a
        // user's event for the other topic than that user's previous one waits for the previous one's ack (usually
        // long done: a user's next event is tens of events later).
        Map<Integer, Future<?>> lastOfUser = new HashMap<>();
        Map<Integer, Boolean> lastWasWatch = new HashMap<>();
        int head = s.events() / 10, tail = s.events() - s.events() / 10;
        long pacedFrom = 0;
        try (KafkaProducer<byte[], byte[]> producer = EventProducers.create(p)) {
            for (int i = 0; i < s.events(); i++) {
                if (i == head) pacedFrom = System.nanoTime();
                if (i == tail) faultsDone.await();
                if (i > head && (i - head) % 50 == 0) {
                    long due = pacedFrom + (long) ((i - head) * 1e9 / s.rate());
                    long wait = due - System.nanoTime();
                    if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                long time = baseTime + i;
                boolean watch = Float.isNaN(ratings[i]);
                ProducerRecord<byte[], byte[]> r = watch
                        ? EventRecords.watch(watchesTopic, users[i], movies[i], seconds[i], 6000, time, "v" + i)
                        : EventRecords.rating(ratingsTopic, users[i], movies[i], ratings[i], time, "v" + i);
                Future<?> previous = lastOfUser.get(users[i]);
                if (previous != null && lastWasWatch.get(users[i]) != watch && !previous.isDone()) previous.get();
                // distinct increasing timestamps: Kafka Streams orders a task's two input partitions by them
                Future<?> f = producer.send(new ProducerRecord<>(r.topic(), null, time, r.key(), r.value()));
                sent.add(f);
                lastOfUser.put(users[i], f);
                lastWasWatch.put(users[i], watch);
                for (int k = 0; k < fuzzAfter[i]; k++) {
                    Fuzzer.Bad bad = fuzzer.next(users[i], movies[i], time, r.value(), watch);
                    sent.add(producer.send(new ProducerRecord<>(bad.watchTopic() ? watchesTopic : ratingsTopic, null, time,
                            bad.key(), bad.value())));
                    expectedReasons.merge(bad.reason(), 1, Integer::sum);
                }
            }
            producer.flush();
        }
        for (Future<?> f : sent) f.get();
        if (sent.size() != inputRecords) throw new IllegalStateException(sent.size() + " records written, " + inputRecords + " planned");
    }

    // ---- the faults ----

    private AppProcess killAndRestart(AppProcess a, Map<String, String> app, Path logs, ListWatcher watcher, int k)
            throws Exception {
        long killedAt = System.nanoTime();
        int exit = a.kill();
        long committed = committedInput();
        require(exit == 137, "kill " + k + ": exit status " + exit + ", not SIGKILL's 137");
        require(committed > 0 && committed < inputRecords, "kill " + k + " not mid-stream: committed input "
                + committed + " of " + inputRecords);
        AppProcess next = start("a", app, a.stateDir, logs.resolve("a-" + k + ".log"));
        restarts++;
        double health = next.awaitHealthy(next.startedNanos, HEALTH_BOUND);
        require(health >= 0, "kill " + k + ": the restarted instance did not report UP within " + HEALTH_BOUND);
        long first = awaitListAfter(watcher, next.startedNanos, next);
        Fault f = new Fault("kill -9 #" + k, committed, health, seconds(first, next.startedNanos),
                seconds(first, watcher.lastBefore(killedAt)));
        report(f);
        return next;
    }

    private void restartBroker(Path dir, int brokerPort, int controllerPort, ListWatcher watcher, AppProcess a)
            throws Exception {
        long committed = committedInput();
        long downAt = System.nanoTime();
        broker.close();
        Thread.sleep(3000);
        broker = EmbeddedKafka.builder().dataDir(dir).brokerPort(brokerPort).controllerPort(controllerPort).build();
        long upAt = System.nanoTime();
        double health = a.awaitHealthy(upAt, HEALTH_BOUND);
        require(health >= 0, "the instance did not report UP within " + HEALTH_BOUND + " of the broker's restart");
        long first = awaitListAfter(watcher, upAt, a);
        report(new Fault("broker restart", committed, health, seconds(first, upAt),
                seconds(first, watcher.lastBefore(downAt))));
    }

    private void takeover(Map<String, String> app, Path logs, ListWatcher watcher, AppProcess a, SplittableRandom rnd)
            throws Exception {
        AppProcess b = start("b", app, s.work().resolve("state-b"), logs.resolve("b.log"));
        double health = b.awaitHealthy(b.startedNanos, HEALTH_BOUND);
        require(health >= 0, "the second instance did not report UP within " + HEALTH_BOUND);
        awaitLists(watcher, Math.min(s.events() - s.events() / 10, watcher.lists() + 50 + rnd.nextInt(200)), a);
        long killedAt = System.nanoTime();
        int exit = b.kill();
        Map<TopicPartition, Long> atKill = committedByPartition();
        long committed = atKill.values().stream().mapToLong(Long::longValue).sum();
        require(exit == 137 && committed < inputRecords, "second instance not killed mid-stream: exit " + exit
                + ", committed input " + committed + " of " + inputRecords);
        // The instance left for good owned some partitions: the fault is over when every input partition is processed
        // again (the first instance took them over from its standbys once the session timed out), not at the next
        // list from a partition the first instance owned all along. Only then may the next fault begin.
        double takenOver = awaitEveryPartitionMoved(atKill, killedAt, a);
        require(a.healthy(), "the surviving instance is not UP after taking over");
        report(new Fault("second instance joined, killed for good (standby takeover)", committed, health,
                takenOver, takenOver));
    }

    /**
     * Seconds from {@code since} until the app's committed offset of every input partition moved past
     * {@code atKill}, or reached the end of what was written (nothing there to process).
     */
    private double awaitEveryPartitionMoved(Map<TopicPartition, Long> atKill, long since, AppProcess a) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            Map<TopicPartition, Long> now = committedByPartition(), ends = endOffsets();
            boolean all = true;
            for (var e : ends.entrySet()) {
                long c = now.getOrDefault(e.getKey(), 0L);
                all &= c > atKill.getOrDefault(e.getKey(), 0L) || c >= e.getValue();
            }
            if (all) return (System.nanoTime() - since) / 1e9;
            require(a.alive() && System.nanoTime() < deadline, "input partitions not processed again within 120 s: "
                    + now + " of " + ends);
            Thread.sleep(100);
        }
    }

    private Map<TopicPartition, Long> committedByPartition() throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
            Map<TopicPartition, Long> out = new HashMap<>();
            for (var e : admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get().entrySet()) {
                if (e.getValue() != null && inputTopic(e.getKey().topic())) out.put(e.getKey(), e.getValue().offset());
            }
            return out;
        }
    }

    private Map<TopicPartition, Long> endOffsets() throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> specs = new HashMap<>();
            for (String t : List.of(topics.get("topic.ratings"), topics.get("topic.watches"))) {
                for (int p = 0; p < 4; p++) specs.put(new TopicPartition(t, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(specs).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        }
    }

    private boolean inputTopic(String t) {
        return t.equals(topics.get("topic.ratings")) || t.equals(topics.get("topic.watches"));
    }

    /** Seconds from {@code from} to {@code to}; NaN when no list was needed ({@code to} = -1: nothing left to do). */
    private static double seconds(long to, long from) {
        return to < 0 || from < 0 ? Double.NaN : (to - from) / 1e9;
    }

    private void report(Fault f) {
        faults.add(f);
        out.printf("  fault %2d %-58s committed input %,9d of %,d; /health UP %5.1f s; lists resumed %5.1f s; gap %5.1f s%n",
                faults.size(), f.what(), f.committedInput(), inputRecords, f.healthSeconds(), f.resumeSeconds(),
                f.gapSeconds());
    }

    private void awaitLists(ListWatcher watcher, int target, AppProcess a) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(Math.max(600, s.events() / 50)).toNanos();
        while (watcher.lists() < target) {
            require(a.alive(), "instance " + a.name + " died on its own; see its log in " + s.work().resolve("logs"));
            require(System.nanoTime() < deadline, "only " + watcher.lists() + " of " + target + " lists arrived");
            Thread.sleep(20);
        }
    }

    /**
     * Arrival time of the first list after {@code t}; or -1 when the app has caught up with all input written so
     * far without one (nothing was left to process: the last tenth of the input waits for the faults to finish).
     */
    private long awaitListAfter(ListWatcher watcher, long t, AppProcess a) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        long first, lastLagCheck = 0;
        while ((first = watcher.firstAfter(t)) < 0) {
            require(a.alive() && System.nanoTime() < deadline, "no list within 120 s after a fault");
            if (System.nanoTime() - lastLagCheck > 1_000_000_000L) {
                lastLagCheck = System.nanoTime();
                if (committedInput() >= inputEndOffsets()) return -1;
            }
            Thread.sleep(20);
        }
        return first;
    }

    /** Records written to the input topics so far (their end offsets, summed). */
    private long inputEndOffsets() throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> specs = new HashMap<>();
            for (String t : List.of(topics.get("topic.ratings"), topics.get("topic.watches"))) {
                for (int p = 0; p < 4; p++) {
                    specs.put(new org.apache.kafka.common.TopicPartition(t, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
                }
            }
            long sum = 0;
            for (var e : admin.listOffsets(specs).all().get().values()) sum += e.offset();
            return sum;
        }
    }

    /** The input offsets the app has committed (summed over both input topics' partitions). */
    private long committedInput() throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
            long sum = 0;
            for (var e : admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get().entrySet()) {
                String t = e.getKey().topic();
                if (e.getValue() != null && (t.equals(topics.get("topic.ratings")) || t.equals(topics.get("topic.watches")))) {
                    sum += e.getValue().offset();
                }
            }
            return sum;
        }
    }

    // ---- the results ----

    private Properties readCommitted() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "chaos-check-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4_000_000);
        return p;
    }

    /** Dead letters by reason (a letter without a reason counts as "none"). */
    private Map<String, Integer> readDeadLetters() {
        Map<String, Integer> byReason = new TreeMap<>();
        try (var c = new KafkaConsumer<>(readCommitted(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topics.get("topic.dlq")));
            long quiet = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < quiet) {
                var records = c.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) quiet = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                for (var r : records) {
                    String reason = DeadLetters.header(r.headers(), DeadLetters.REASON);
                    byReason.merge(reason == null ? "none" : reason, 1, Integer::sum);
                }
            }
        }
        return byReason;
    }

    /** {users whose committed state equals the offline replay field by field, users expected}. */
    private int[] compareStates(RecommenderModel model) {
        Map<Long, UserState> expected = new HashMap<>();
        OnlineLearner learner = new OnlineLearner(model);
        for (int i = 0; i < s.events(); i++) {
            UserState st = expected.computeIfAbsent((long) users[i], u -> UserState.empty(model));
            float completion = Float.isNaN(ratings[i]) ? EventRules.completion(seconds[i], 6000) : Float.NaN;
            learner.learn(users[i], st, movies[i], model.items().indexOf(movies[i]), ratings[i], completion, baseTime + i);
            st.roundVectorsToStored(); // the store keeps the vectors as half floats; the next event reads them back
        }
        Map<Long, UserState> actual = new HashMap<>();
        String changelog = appId + "-" + EventTopology.USER_STATE_STORE + "-changelog";
        try (var c = new KafkaConsumer<>(readCommitted(), new LongDeserializer(), new UserStateSerde())) {
            c.subscribe(List.of(changelog));
            long quiet = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < quiet) {
                var records = c.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) quiet = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                for (var r : records) actual.put(r.key(), r.value());
            }
        }
        int equal = 0;
        List<String> firstDiffs = new ArrayList<>();
        for (var e : expected.entrySet()) {
            String diff = difference(e.getValue(), actual.get(e.getKey()));
            if (diff == null) equal++;
            else if (firstDiffs.size() < 5) firstDiffs.add("user " + e.getKey() + ": " + diff);
        }
        if (!firstDiffs.isEmpty()) out.println("  state differences (first 5): " + firstDiffs);
        return new int[] {equal, expected.size()};
    }

    /** Null when equal in every field the issue names, else every field that differs (vectors with their largest gap). */
    static String difference(UserState e, UserState a) {
        if (a == null) return "no state";
        List<String> d = new ArrayList<>();
        if (!Arrays.equals(e.ratingVector(), a.ratingVector())) d.add("rating vector" + gap(e.ratingVector(), a.ratingVector()));
        if (!Arrays.equals(e.retrievalVector(), a.retrievalVector())) {
            d.add("retrieval vector" + gap(e.retrievalVector(), a.retrievalVector()));
        }
        if (Float.compare(e.ratingBias(), a.ratingBias()) != 0) d.add("rating bias");
        if (e.eventCount() != a.eventCount()) d.add("event count " + a.eventCount() + " != " + e.eventCount());
        if (e.ratingCount() != a.ratingCount()) d.add("rating count");
        if (Double.compare(e.ratingSum(), a.ratingSum()) != 0) d.add("rating sum");
        if (!Arrays.equals(e.seenOldestFirst(), a.seenOldestFirst())) {
            int[] x = e.seenOldestFirst().clone(), y = a.seenOldestFirst().clone();
            Arrays.sort(x);
            Arrays.sort(y);
            d.add(Arrays.equals(x, y) ? "seen ids (same ids, another order: events applied in another order)" : "seen ids");
        }
        if (e.lastEventTime() != a.lastEventTime()) d.add("last event time");
        return d.isEmpty() ? null : String.join(", ", d);
    }

    private static String gap(float[] e, float[] a) {
        if (e.length != a.length) return " (length " + a.length + " != " + e.length + ")";
        double max = 0;
        for (int i = 0; i < e.length; i++) max = Math.max(max, Math.abs((double) e[i] - a[i]));
        return String.format(" (largest difference %.2g)", max);
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new ChaosFailure(message);
    }

    /** A fault the run could not get past (an instance that never came back, a kill that was not mid-stream). */
    static final class ChaosFailure extends RuntimeException {
        ChaosFailure(String message) {
            super(message);
        }
    }
}
