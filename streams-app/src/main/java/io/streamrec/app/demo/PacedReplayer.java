package io.streamrec.app.demo;

import io.streamrec.app.replay.EventReplayer;
import io.streamrec.avro.RatingEvent;
import io.streamrec.core.features.MovieMeta;
import io.streamrec.schemas.Keys;
import io.streamrec.schemas.RecordSerdes;
import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.Interactions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The demo's event source: the catalogue, then a dataset's events in time order at a rate that can be changed while
 * it runs (0 pauses). Each record is stamped with the time it is sent, whatever the historical event time was, so the
 * app's event-to-recommendation latency is measured from production. A small, seeded fraction of extra records is
 * deliberately bad (a rating of 9, or bytes that are not Avro) to show the dead-letter topic at work.
 */
public final class PacedReplayer implements Runnable {
    private final Dataset data;
    private final String bootstrap;
    private final String ratingsTopic;
    private final String watchesTopic;
    private final String moviesTopic;
    private final double poisonFraction;
    private final int startAt;
    private final AtomicLong produced = new AtomicLong();
    private final AtomicLong poisoned = new AtomicLong();
    private volatile double rate;
    private volatile boolean stopped;
    private volatile boolean finished;

    public PacedReplayer(Dataset data, String bootstrap, String ratingsTopic, String watchesTopic, String moviesTopic,
                         double rate, double poisonFraction, int startAt) {
        if (!(rate >= 0)) throw new IllegalArgumentException("rate: must be >= 0 events/s, was " + rate);
        if (!(poisonFraction >= 0 && poisonFraction <= 1)) throw new IllegalArgumentException("poison fraction: must be in [0, 1], was " + poisonFraction);
        this.data = data;
        this.bootstrap = bootstrap;
        this.ratingsTopic = ratingsTopic;
        this.watchesTopic = watchesTopic;
        this.moviesTopic = moviesTopic;
        this.rate = rate;
        this.poisonFraction = poisonFraction;
        this.startAt = startAt;
    }

    public void setRate(double eventsPerSecond) {
        if (!(eventsPerSecond >= 0)) throw new IllegalArgumentException("rate: must be >= 0 events/s, was " + eventsPerSecond);
        this.rate = eventsPerSecond;
    }

    public double rate() {
        return rate;
    }

    public long produced() {
        return produced.get();
    }

    /** Index of the next event to replay: where a restarted demo continues. */
    public long position() {
        return startAt + produced.get();
    }

    public long poisoned() {
        return poisoned.get();
    }

    public boolean finished() {
        return finished;
    }

    public void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "streamrec-demo-replay");
        Interactions ev = data.events().sortedByTime();
        Random random = new Random(42);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (MovieMeta m : data.movies()) producer.send(EventReplayer.movieRecord(m, moviesTopic));
            producer.flush();
            long next = System.nanoTime();
            for (int i = startAt; i < ev.size() && !stopped; i++) {
                double r = rate;
                while (r == 0 && !stopped) {
                    LockSupport.parkNanos(100_000_000L);
                    r = rate;
                    next = System.nanoTime();
                }
                if (stopped) break;
                // never more than a second behind: after a pause or a stall, resume at the rate instead of bursting
                next = Math.max(next + (long) (1e9 / r), System.nanoTime() - 1_000_000_000L);
                long wait = next - System.nanoTime();
                if (wait > 0) LockSupport.parkNanos(wait);
                // no timestamp set: the producer stamps the send time, which the latency metric measures from
                producer.send(EventReplayer.record(ev, i, ratingsTopic, watchesTopic));
                produced.incrementAndGet();
                if (poisonFraction > 0 && random.nextDouble() < poisonFraction) {
                    producer.send(poison(ev.userId(i), ev.movieId(i), random.nextBoolean()));
                    poisoned.incrementAndGet();
                }
            }
            producer.flush();
        } finally {
            finished = true;
        }
    }

    private ProducerRecord<byte[], byte[]> poison(long user, int movie, boolean outOfRange) {
        byte[] value = outOfRange
                ? RecordSerdes.ratingEvent().serialize(ratingsTopic, new RatingEvent(user, movie, 9.0f, System.currentTimeMillis()))
                : "this is not an Avro record".getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(ratingsTopic, Keys.userKey(user), value);
    }
}
