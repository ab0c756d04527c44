package io.streamrec.tools.loadtest;

import io.streamrec.avro.RatingEvent;
import io.streamrec.avro.WatchEvent;
import io.streamrec.schemas.AvroSerde;
import io.streamrec.schemas.RecordSerdes;

import java.util.SplittableRandom;

/**
 * Generated input events in the wire format: users uniform over 1..users, movies skewed towards
 * the popular ids (id = 1 + ⌊movies·u³⌋, so the first tenth of the catalogue gets about half the
 * events), ratings in half stars, watches of a random share of a 100-minute movie.
 * Not thread-safe: one per producing thread.
 */
public final class EventSource {
    private static final int MOVIE_SECONDS = 6000;
    private final SplittableRandom rnd;
    private final int users;
    private final int movies;
    private final double watchFraction;
    private final AvroSerde<RatingEvent> ratings = RecordSerdes.ratingEvent();
    private final AvroSerde<WatchEvent> watches = RecordSerdes.watchEvent();

    /** One generated event: which topic kind, the user (the record key) and the Avro bytes. */
    public record Event(boolean watch, long userId, byte[] value) {}

    public EventSource(int users, int movies, double watchFraction, long seed) {
        this.rnd = new SplittableRandom(seed);
        this.users = users;
        this.movies = movies;
        this.watchFraction = watchFraction;
    }

    public Event next(long nowMs) {
        long user = 1 + rnd.nextInt(users);
        double u = rnd.nextDouble();
        int movie = 1 + (int) (movies * u * u * u);
        if (rnd.nextDouble() < watchFraction) {
            int seconds = rnd.nextInt(MOVIE_SECONDS + 1);
            return new Event(true, user, watches.serialize(null, new WatchEvent(user, movie, seconds, MOVIE_SECONDS, nowMs, null)));
        }
        float rating = 0.5f * (1 + rnd.nextInt(10));
        return new Event(false, user, ratings.serialize(null, new RatingEvent(user, movie, rating, nowMs, null)));
    }
}
