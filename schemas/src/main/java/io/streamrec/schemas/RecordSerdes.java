package io.streamrec.schemas;

import io.streamrec.avro.ItemVector;
import io.streamrec.avro.ModelVersion;
import io.streamrec.avro.Movie;
import io.streamrec.avro.RatingEvent;
import io.streamrec.avro.Recommendations;
import io.streamrec.avro.UserVector;
import io.streamrec.avro.WatchEvent;

/**
 * The value serdes of every record type on a topic, like Kafka's {@code Serdes}. Each method returns one shared,
 * thread-safe {@link AvroSerde} (its {@code configure} and {@code close} do nothing, so sharing is safe).
 * Keys are not Avro: see {@link Keys}.
 */
public final class RecordSerdes {

    private RecordSerdes() {}

    /** Topic {@code ratings}. */
    public static AvroSerde<RatingEvent> ratingEvent() {
        return Holder.RATING_EVENT;
    }

    /** Topic {@code watches}. */
    public static AvroSerde<WatchEvent> watchEvent() {
        return Holder.WATCH_EVENT;
    }

    /** Topic {@code movies}. */
    public static AvroSerde<Movie> movie() {
        return Holder.MOVIE;
    }

    /** Topic {@code item-vectors}. */
    public static AvroSerde<ItemVector> itemVector() {
        return Holder.ITEM_VECTOR;
    }

    /** Topic {@code recommendations}. */
    public static AvroSerde<Recommendations> recommendations() {
        return Holder.RECOMMENDATIONS;
    }

    /** Topic {@code user-vectors} (compacted, keyed by user id like the event topics). */
    public static AvroSerde<UserVector> userVector() {
        return Holder.USER_VECTOR;
    }

    /** Topic {@code model-versions} (compacted, one partition, keyed by version). */
    public static AvroSerde<ModelVersion> modelVersion() {
        return Holder.MODEL_VERSION;
    }

    /** Created on first use, so a failure (e.g. a broken history file) surfaces where a serde is asked for. */
    private static final class Holder {
        static final AvroSerde<RatingEvent> RATING_EVENT = new AvroSerde<>(RatingEvent.class);
        static final AvroSerde<WatchEvent> WATCH_EVENT = new AvroSerde<>(WatchEvent.class);
        static final AvroSerde<Movie> MOVIE = new AvroSerde<>(Movie.class);
        static final AvroSerde<ItemVector> ITEM_VECTOR = new AvroSerde<>(ItemVector.class);
        static final AvroSerde<Recommendations> RECOMMENDATIONS = new AvroSerde<>(Recommendations.class);
        static final AvroSerde<UserVector> USER_VECTOR = new AvroSerde<>(UserVector.class);
        static final AvroSerde<ModelVersion> MODEL_VERSION = new AvroSerde<>(ModelVersion.class);
    }
}
