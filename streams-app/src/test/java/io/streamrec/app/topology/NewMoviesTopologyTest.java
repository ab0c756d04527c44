package io.streamrec.app.topology;

import io.streamrec.app.config.AppConfig;
import io.streamrec.app.dlq.DlqMetrics;
import io.streamrec.app.items.ItemVectorCodec;
import io.streamrec.app.lifecycle.ServedModel;
import io.streamrec.avro.Movie;
import io.streamrec.avro.RatingEvent;
import io.streamrec.avro.Recommendations;
import io.streamrec.avro.RecommendedMovie;
import io.streamrec.core.coldstart.MovieFeatureMap;
import io.streamrec.core.features.FeatureSpec;
import io.streamrec.core.features.MovieMeta;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.model.ModelDirectory;
import io.streamrec.schemas.Keys;
import io.streamrec.schemas.RecordSerdes;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Cold-start movies through the production topology: a {@code Movie} on {@code movies} that the served model does not
 * know gets vectors from the model's feature map (in a free slot of its item index), is in the retriever, and a user who
 * likes its genres gets it in the next list; a movie the model knows is left alone; no room is counted, not a crash; a
 * swap replays the movies store into the new model; with items learning online, the movie's owner starts from the
 * mapped vectors.
 */
class NewMoviesTopologyTest {
    static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    /** A movie id no generated catalogue uses. */
    static final int NEW_MOVIE = 900_001;
    @TempDir
    Path stateDir;
    TopologyTestDriver driver;
    ServedModel served;
    LiveQuality quality = new LiveQuality();
    TestInputTopic<byte[], byte[]> ratings;
    TestInputTopic<Integer, Movie> movies;
    TestOutputTopic<String, Recommendations> lists;
    TestOutputTopic<Integer, byte[]> itemVectors;

    void start(int capacity, boolean items) {
        AppConfig config = AppConfig.of(Map.of("model.dir", TestModels.modelDir().toString(), "state.dir", stateDir.toString(),
                "items.learn.online", Boolean.toString(items), "movies.new.capacity", Integer.toString(capacity)));
        served = new ServedModel(ModelDirectory.read(TestModels.modelDir(), config.moviesNewCapacity()));
        driver = new TopologyTestDriver(EventTopology.build(config, served, quality, new DlqMetrics()),
                config.streamsProperties(), Instant.ofEpochMilli(NOW));
        ratings = driver.createInputTopic("ratings", new ByteArraySerializer(), new ByteArraySerializer());
        movies = driver.createInputTopic("movies", Keys.movieIdSerde().serializer(), RecordSerdes.movie().serializer());
        lists = driver.createOutputTopic("recommendations", Serdes.String().deserializer(),
                RecordSerdes.recommendations().deserializer());
        itemVectors = driver.createOutputTopic("item-vectors", Keys.movieIdSerde().deserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        if (driver != null) driver.close();
    }

    void rate(long user, int movieId, float rating, long time) {
        ratings.pipeInput(Keys.userKey(user), RecordSerdes.ratingEvent().serialize("ratings",
                new RatingEvent(user, movieId, rating, time, null)));
    }

    static List<Integer> ids(Recommendations r) {
        return r.getMovies().stream().map(RecommendedMovie::getMovieId).toList();
    }

    @Test
    void anUnknownMovieOfTheGenreAUserLikesIsInTheirNextList() {
        start(4, false);
        RecommenderModel m = served.current().model();
        GenreFan fan = GenreFan.of(m);
        int loaded = m.items().loaded();
        int last = fan.movies().length - 1;
        for (int e = 0; e < last; e++) rate(fan.userId(), fan.movies()[e], fan.ratings()[e], NOW - 100_000 + e);
        List<Recommendations> before = lists.readValuesToList();
        assertFalse(ids(before.get(before.size() - 1)).contains(NEW_MOVIE));

        movies.pipeInput(NEW_MOVIE, new Movie(NEW_MOVIE, "A New Film (2025)", fan.genres(), 2025));
        int slot = m.items().indexOf(NEW_MOVIE);
        assertEquals(loaded, slot, "the first free slot");
        assertTrue(m.trained(slot));
        assertEquals(1, served.newMovies().added());
        assertEquals(3, served.newMovies().freeSlots());
        // its vectors are the map's prediction for its catalogue entry
        MovieFeatureMap map = served.current().featureMap().orElseThrow();
        float[] expected = new float[map.outputs()];
        map.predict(new MovieMeta(NEW_MOVIE, "x", fan.genres(), 2025), expected);
        assertArrayEquals(Arrays.copyOfRange(expected, m.ratingDim() + 1, m.ratingDim() + 1 + m.dim()),
                Arrays.copyOfRange(m.retrievalVectors(), slot * m.dim(), slot * m.dim() + m.dim()));
        assertEquals(expected[m.ratingDim() + 1 + m.dim()], m.retrievalBias(slot));
        float[] features = new float[FeatureSpec.ITEM_SIZE];
        FeatureSpec.encodeItem(new MovieMeta(NEW_MOVIE, "x", fan.genres(), 2025), 0, m.ratingBias(slot), m.retrievalBias(slot),
                features, 0);
        assertArrayEquals(features, Arrays.copyOfRange(m.itemFeatures(), slot * FeatureSpec.ITEM_SIZE,
                (slot + 1) * FeatureSpec.ITEM_SIZE), "its ranker features: its genres and year, mapped biases, popularity 0");

        rate(fan.userId(), fan.movies()[last], fan.ratings()[last], NOW - 100);
        Recommendations next = lists.readValuesToList().get(0);
        assertTrue(ids(next).contains(NEW_MOVIE), "user " + fan.userId() + " likes " + fan.genres() + "; list " + ids(next));

        // rating it teaches the user against its mapped vectors, and it is then excluded as seen
        rate(fan.userId(), NEW_MOVIE, 5f, NOW - 1);
        assertFalse(ids(lists.readValuesToList().get(0)).contains(NEW_MOVIE));
    }

    @Test
    void aMovieTheModelKnowsIsLeftAlone() {
        start(4, false);
        RecommenderModel m = served.current().model();
        int item = 5, id = m.items().movieId(item);
        float[] q = m.ratingVectors().clone(), v = m.retrievalVectors().clone();
        movies.pipeInput(id, new Movie(id, "A Corrected Title (1999)", List.of("Drama"), 1999));
        assertArrayEquals(q, m.ratingVectors());
        assertArrayEquals(v, m.retrievalVectors());
        assertEquals(0, served.newMovies().added() + served.newMovies().mapped() + served.newMovies().noRoom());
        assertEquals(4, served.newMovies().freeSlots());
    }

    @Test
    void aMovieBeyondTheRoomIsCountedAndEventsGoOn() {
        start(1, false);
        movies.pipeInput(NEW_MOVIE, new Movie(NEW_MOVIE, "First", List.of("Comedy"), 2025));
        movies.pipeInput(NEW_MOVIE + 1, new Movie(NEW_MOVIE + 1, "Second", List.of("Comedy"), 2025));
        assertEquals(1, served.newMovies().added());
        assertEquals(1, served.newMovies().noRoom());
        assertEquals(-1, served.current().model().items().indexOf(NEW_MOVIE + 1));
        rate(3, NEW_MOVIE + 1, 4f, NOW - 10);
        Recommendations r = lists.readValuesToList().get(0);
        assertEquals(1, r.getEventCount(), "an event on the refused movie is still counted and answered");
    }

    @Test
    void aSwapReplaysTheMoviesStoreIntoTheNewModelBeforeSwitching() {
        start(4, false);
        movies.pipeInput(NEW_MOVIE, new Movie(NEW_MOVIE, "New", List.of("Comedy"), 2025));
        ModelDirectory.Loaded next = ModelDirectory.read(TestModels.modelDir(), 4);
        assertEquals(-1, next.model().items().indexOf(NEW_MOVIE));
        served.swapTo(next);
        int slot = next.model().items().indexOf(NEW_MOVIE);
        assertTrue(slot >= 0 && next.model().trained(slot), "the new model serves the movie from the switch on");
        assertEquals(2, served.newMovies().added(), "once per model");
        // and a movie arriving after the switch goes to the new model
        movies.pipeInput(NEW_MOVIE + 1, new Movie(NEW_MOVIE + 1, "Newer", List.of("Drama"), 2025));
        assertTrue(next.model().items().indexOf(NEW_MOVIE + 1) >= 0);
    }

    @Test
    void itemsLearningOnlineRefinesTheNewMovieFromItsMappedVectors() {
        start(4, true);
        GenreFan fan = GenreFan.of(served.current().model());
        movies.pipeInput(NEW_MOVIE, new Movie(NEW_MOVIE, "New", fan.genres(), 2025));
        RecommenderModel m = served.current().model();
        int slot = m.items().indexOf(NEW_MOVIE), d = m.dim();
        float[] mapped = Arrays.copyOfRange(m.retrievalVectors(), slot * d, slot * d + d);
        rate(fan.userId(), NEW_MOVIE, 5f, NOW - 10);
        List<org.apache.kafka.streams.test.TestRecord<Integer, byte[]>> published = itemVectors.readRecordsToList();
        assertEquals(1, published.size());
        ItemVectorCodec.Buffer b = new ItemVectorCodec().read(published.get(0).value(), new ItemVectorCodec.Buffer());
        assertEquals(NEW_MOVIE, b.movieId);
        assertEquals(m.version(), b.modelVersion());
        float[] learned = Arrays.copyOf(b.retrievalVector, b.retrievalLength);
        assertFalse(Arrays.equals(mapped, learned), "one step moved it");
        double moved = 0, size = 0;
        for (int f = 0; f < d; f++) {
            moved += (learned[f] - mapped[f]) * (learned[f] - mapped[f]);
            size += mapped[f] * mapped[f];
        }
        assertTrue(moved < size, "one step from the mapped vector, not from nothing: moved " + Math.sqrt(moved)
                + " against its length " + Math.sqrt(size));
        assertArrayEquals(learned, Arrays.copyOfRange(m.retrievalVectors(), slot * d, slot * d + d),
                "the serving copy holds the published vector");
    }
}
