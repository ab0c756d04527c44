package io.streamrec.app.lifecycle;

import io.streamrec.avro.ModelVersion;
import io.streamrec.core.rank.OnnxRanker;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.model.ModelDigest;
import io.streamrec.model.ModelDirectory;
import io.streamrec.schemas.RecordSerdes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Follows the compacted {@code model-versions} topic on its own thread with a plain consumer (no group: every instance
 * reads the whole topic, partition 0, from the start). The record with the highest offset names the version to serve;
 * when it differs from the one served, the version is loaded here, off the stream threads: the directory's digest is
 * checked against the record, the directory read, its manifest version checked, the retriever built (shared by every
 * task through {@code ModelRetrievers}) and an ONNX session opened on the ranker. Only then does {@link ServedModel}
 * switch. Anything that fails keeps the old model and is recorded ({@link ServedModel#loadFailed}).
 */
public final class ModelVersionFollower implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModelVersionFollower.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final ServedModel served;
    private final int candidates;
    private final int newMovieCapacity;
    private final Thread thread;
    private volatile boolean stopping;
    /** The last record acted on (loaded or refused), so a refused version is not retried on every poll. */
    private String lastTried;

    /** @param newMovieCapacity free item slots each loaded model keeps for new movies ({@code movies.new.capacity}) */
    public ModelVersionFollower(Map<String, Object> consumerSettings, String topic, ServedModel served, int candidates,
                                int newMovieCapacity) {
        this.newMovieCapacity = newMovieCapacity;
        Properties p = new Properties();
        p.putAll(consumerSettings);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.served = served;
        this.candidates = candidates;
        this.thread = new Thread(this::run, "model-version-follower");
        thread.setDaemon(true);
    }

    public ModelVersionFollower start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            while (!stopping) {
                ModelVersion newest = null;
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    if (r.value() == null) continue; // a tombstone retracts nothing served
                    try {
                        newest = RecordSerdes.modelVersion().deserialize(topic, r.value());
                    } catch (RuntimeException e) {
                        served.loadFailed("at offset " + r.offset(), "unreadable ModelVersion record: " + e.getMessage());
                    }
                }
                if (newest != null) consider(newest);
            }
        } catch (WakeupException e) {
            if (!stopping) LOG.error("model-versions follower woken up unexpectedly", e);
        } catch (RuntimeException e) {
            LOG.error("model-versions follower stopped; the current model stays served", e);
            served.followingStopped(e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void consider(ModelVersion v) {
        String key = v.getVersion() + "@" + v.getDigest() + "@" + v.getCreated();
        if (key.equals(lastTried)) return;
        lastTried = key;
        if (v.getVersion().equals(served.version())) return; // already served (e.g. the model the instance started with)
        long t0 = System.nanoTime();
        try {
            ModelDirectory.Loaded loaded = load(v, candidates, newMovieCapacity);
            served.swapTo(loaded);
            LOG.info("now serving model {} (loaded in {} ms from {})", v.getVersion(), (System.nanoTime() - t0) / 1_000_000,
                    v.getLocation());
        } catch (RuntimeException e) {
            served.loadFailed(v.getVersion(), e.getMessage());
            LOG.warn("published model {} not loaded; still serving {}: {}", v.getVersion(), served.version(), e.toString());
        }
    }

    /** Loads a published version fully, or throws with the reason. */
    static ModelDirectory.Loaded load(ModelVersion v, int candidates, int newMovieCapacity) {
        Path dir = ModelDigest.directory(v.getLocation());
        String digest = ModelDigest.of(dir);
        if (!digest.equals(v.getDigest())) {
            throw new IllegalStateException("digest of " + dir + " is " + digest + ", the record says " + v.getDigest());
        }
        ModelDirectory.Loaded loaded = ModelDirectory.read(dir, newMovieCapacity);
        if (!loaded.model().version().equals(v.getVersion())) {
            throw new IllegalStateException(dir + " holds model " + loaded.model().version() + ", the record says " + v.getVersion());
        }
        CandidateRetriever.forModel(loaded.model()); // built now, not by the first event after the switch
        OnnxRanker.load(loaded.onnx(), loaded.model().featureSpec(), candidates, 1).close(); // opens and checks its inputs
        return loaded;
    }

    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
