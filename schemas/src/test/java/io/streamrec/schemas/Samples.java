package io.streamrec.schemas;

import io.streamrec.avro.ItemVector;
import io.streamrec.avro.UserVector;
import io.streamrec.avro.ModelVersion;
import io.streamrec.avro.Movie;
import io.streamrec.avro.RatingEvent;
import io.streamrec.avro.Recommendations;
import io.streamrec.avro.RecommendedMovie;
import io.streamrec.avro.WatchEvent;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** One filled-in record of every type, with the serde that carries it. */
final class Samples {

    record Sample<T extends SpecificRecord>(String name, T record, AvroSerde<T> serde) {
        byte[] bytes() {
            return serde.serialize("test", record);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private Samples() {}

    static RatingEvent rating() {
        return RatingEvent.newBuilder()
                .setUserId(42L).setMovieId(1193).setRating(4.5f).setEventTime(1_700_000_000_000L).build();
    }

    static WatchEvent watch() {
        return WatchEvent.newBuilder()
                .setUserId(7L).setMovieId(318).setSecondsWatched(5400).setMovieLengthSeconds(8520)
                .setEventTime(1_700_000_123_456L).build();
    }

    static WatchEvent watchWithoutLength() {
        return WatchEvent.newBuilder()
                .setUserId(Long.MAX_VALUE).setMovieId(0).setSecondsWatched(0).setMovieLengthSeconds(null)
                .setEventTime(0L).build();
    }

    static Movie movie() {
        return Movie.newBuilder()
                .setMovieId(1).setTitle("Toy Story — Ünïcödé").setGenres(List.of("Adventure", "Animation", "Children"))
                .setYear(1995).build();
    }

    static Movie movieMinimal() {
        return Movie.newBuilder().setMovieId(Integer.MAX_VALUE).setTitle("").build();
    }

    static ItemVector itemVector() {
        return ItemVector.newBuilder()
                .setMovieId(2571).setVector(List.of(0.25f, -1.5f, 3.0e-7f)).setBias(-0.125f)
                .setRetrievalVector(List.of(1f, 2f)).setRetrievalBias(0.5f).setModelVersion("mf-2024-01-01").build();
    }

    static UserVector userVector() {
        return UserVector.newBuilder()
                .setUserId(42L).setModelVersion("mf-2024-01-01").setRatingVector(List.of(0.25f, -1.5f, 3.0e-7f))
                .setRatingBias(-0.125f).setRetrievalVector(List.of(1f, 2f)).setEventCount(7L).setRatingCount(5L)
                .setRatingSum(18.5).setLastEventTime(1_700_000_000_999L).setSeenMovieIds(List.of(50, 296, 2571))
                .setSeenRatings(List.of(4.5f, Float.NaN, 3f)).build();
    }

    static Recommendations recommendations() {
        return Recommendations.newBuilder()
                .setUserId(42L)
                .setMovies(List.of(
                        RecommendedMovie.newBuilder().setMovieId(50).setScore(0.9f).build(),
                        RecommendedMovie.newBuilder().setMovieId(296).setScore(0.75f).build()))
                .setModelVersion("ranker-3").setGeneratedAt(1_700_000_000_999L).setEventCount(12L).build();
    }

    static ModelVersion modelVersion() {
        return ModelVersion.newBuilder().setVersion("mf-2024-01-02").setLocation("file:///models/mf-2024-01-02")
                .setDigest("sha256:" + "0123456789abcdef".repeat(4)).setCreated(1_700_000_000_999L).build();
    }

    static List<Sample<?>> all() {
        return List.of(
                new Sample<>("RatingEvent", rating(), RecordSerdes.ratingEvent()),
                new Sample<>("WatchEvent", watch(), RecordSerdes.watchEvent()),
                new Sample<>("WatchEvent(null length)", watchWithoutLength(), RecordSerdes.watchEvent()),
                new Sample<>("Movie", movie(), RecordSerdes.movie()),
                new Sample<>("Movie(defaults)", movieMinimal(), RecordSerdes.movie()),
                new Sample<>("ItemVector", itemVector(), RecordSerdes.itemVector()),
                new Sample<>("Recommendations", recommendations(), RecordSerdes.recommendations()),
                new Sample<>("UserVector", userVector(), RecordSerdes.userVector()),
                new Sample<>("ModelVersion", modelVersion(), RecordSerdes.modelVersion()));
    }
}
