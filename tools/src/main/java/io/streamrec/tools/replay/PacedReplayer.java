package io.streamrec.tools.replay;

import io.streamrec.app.EventProducers;
import io.streamrec.core.events.EventRules;
import io.streamrec.schemas.EventRecords;
import io.streamrec.avro.RatingEvent;
import io.streamrec.core.features.MovieMeta;
import io.streamrec.schemas.Keys;
import io.streamrec.schemas.RecordSerdes;
import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.Interactions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replays a dataset (for {@code replay} and the demo): the catalogue, then its events in time order from
 * {@code startAt} up to {@code endAt}, at a rate that can be changed while it runs (0 pauses, infinity is as fast as
 * the producer goes). Each record is stamped with the time it is sent, whatever the historical event time was, so the
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
    private final int endAt;
    private final Pacer pacer;
    private final AtomicLong produced = new AtomicLong();
    private final AtomicLong poisoned = new AtomicLong();
    private volatile boolean stopped;
    private volatile boolean finished;

    public PacedReplayer(Dataset data, String bootstrap, String ratingsTopic, String watchesTopic, String moviesTopic,
                         double rate, double poisonFraction, int startAt, int endAt) {
        if (!(poisonFraction >= 0 && poisonFraction <= 1)) throw new IllegalArgumentException("poison fraction: must be in [0, 1], was " + poisonFraction);
        this.data = data;
        this.bootstrap = bootstrap;
        this.ratingsTopic = ratingsTopic;
        this.watchesTopic = watchesTopic;
        this.moviesTopic = moviesTopic;
        this.pacer = new Pacer(rate);
        this.poisonFraction = poisonFraction;
        this.startAt = startAt;
        this.endAt = Math.min(endAt, data.events().size());
    }

    public void setRate(double eventsPerSecond) {
        pacer.setRate(eventsPerSecond);
    }

    public double rate() {
        return pacer.rate();
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
        Properties p = EventProducers.settings(bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "streamrec-replay");
        Interactions ev = data.events().sortedByTime();
        Random random = new Random(42);
        try (KafkaProducer<byte[], byte[]> producer = EventProducers.create(p)) {
            for (MovieMeta m : data.movies()) producer.send(movieRecord(m, moviesTopic));
            producer.flush();
            for (int i = startAt; i < endAt && pacer.awaitNext(() -> stopped); i++) {
                // no timestamp set: the producer stamps the send time, which the latency metric measures from
                producer.send(record(ev, i, ratingsTopic, watchesTopic));
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

    /** A catalogue entry as a record for the compacted movies topic, keyed by movie id. */
    static ProducerRecord<byte[], byte[]> movieRecord(MovieMeta m, String moviesTopic) {
        return EventRecords.movie(moviesTopic, m.movieId(), m.title(), m.genres(), m.yearKnown() ? m.year() : null);
    }

    /** The i-th event as a record; event time is now, so validation never sees it as stale or future. */
    static ProducerRecord<byte[], byte[]> record(Interactions ev, int i, String ratingsTopic, String watchesTopic) {
        long now = System.currentTimeMillis();
        if (!Float.isNaN(ev.rating(i))) return EventRecords.rating(ratingsTopic, ev.userId(i), ev.movieId(i), ev.rating(i), now);
        return EventRecords.watch(watchesTopic, ev.userId(i), ev.movieId(i), EventRules.secondsWatched(ev.completion(i)),
                EventRules.DEFAULT_MOVIE_LENGTH_SECONDS, now);
    }

    private ProducerRecord<byte[], byte[]> poison(long user, int movie, boolean outOfRange) {
        byte[] value = outOfRange
                ? RecordSerdes.ratingEvent().serialize(ratingsTopic, new RatingEvent(user, movie, 9.0f, System.currentTimeMillis()))
                : "this is not an Avro record".getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(ratingsTopic, Keys.userKey(user), value);
    }
}
