package io.streamrec.app.replay;

import io.streamrec.avro.Movie;
import io.streamrec.avro.RatingEvent;
import io.streamrec.avro.WatchEvent;
import io.streamrec.app.topology.ValidatedEvent;
import io.streamrec.core.features.MovieMeta;
import io.streamrec.schemas.Keys;
import io.streamrec.schemas.RecordSerdes;
import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.Interactions;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.Properties;

/** Produces a dataset's catalogue and then its events, in (timestamp, line) order, at a steady rate. */
public final class EventReplayer {
    private EventReplayer() {}

    public static long replay(Dataset d, String bootstrap, String ratingsTopic, String watchesTopic, String moviesTopic,
                              double ratePerSecond, int limit, boolean progress) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        Interactions ev = d.events().sortedByTime();
        int n = limit > 0 ? Math.min(limit, ev.size()) : ev.size();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
             ProgressBar bar = progress ? new ProgressBarBuilder().setTaskName("replay").setInitialMax(n)
                     .setStyle(ProgressBarStyle.ASCII).setUnit(" events", 1).showSpeed().build() : null) {
            for (MovieMeta m : d.movies()) producer.send(movieRecord(m, moviesTopic));
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (ratePerSecond > 0) pace(start, i, ratePerSecond);
                producer.send(record(ev, i, ratingsTopic, watchesTopic));
                if (bar != null && (i & 255) == 0) bar.stepTo(i);
            }
            producer.flush();
            if (bar != null) bar.stepTo(n);
        }
        return n;
    }

    /** A catalogue entry as a record for the compacted movies topic, keyed by movie id. */
    public static ProducerRecord<byte[], byte[]> movieRecord(MovieMeta m, String moviesTopic) {
        return new ProducerRecord<>(moviesTopic, Keys.movieKey(m.movieId()), RecordSerdes.movie().serialize(moviesTopic,
                new Movie(m.movieId(), m.title(), m.genres(), m.yearKnown() ? m.year() : null)));
    }

    /** The i-th event as a record; event time is now, so validation never sees it as stale or future. */
    public static ProducerRecord<byte[], byte[]> record(Interactions ev, int i, String ratingsTopic, String watchesTopic) {
        long user = ev.userId(i);
        long now = System.currentTimeMillis();
        if (!Float.isNaN(ev.rating(i))) {
            return new ProducerRecord<>(ratingsTopic, Keys.userKey(user),
                    RecordSerdes.ratingEvent().serialize(ratingsTopic, new RatingEvent(user, ev.movieId(i), ev.rating(i), now)));
        }
        int length = ValidatedEvent.DEFAULT_MOVIE_LENGTH_SECONDS;
        return new ProducerRecord<>(watchesTopic, Keys.userKey(user), RecordSerdes.watchEvent().serialize(watchesTopic,
                new WatchEvent(user, ev.movieId(i), secondsWatched(ev.completion(i)), length, now)));
    }

    /** The seconds a replayed watch reports for a completion ratio, over a default-length movie. */
    public static int secondsWatched(float completion) {
        return Math.round(completion * ValidatedEvent.DEFAULT_MOVIE_LENGTH_SECONDS);
    }

    private static void pace(long start, int i, double rate) {
        long due = start + (long) (i / rate * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
    }
}
