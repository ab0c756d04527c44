package io.streamrec.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamrec.app.RecommenderInstance;
import io.streamrec.app.http.Http;
import io.streamrec.app.http.TestInstances;
import io.streamrec.app.topology.GenreFan;
import io.streamrec.avro.Movie;
import io.streamrec.avro.Recommendations;
import io.streamrec.avro.RecommendedMovie;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.embedded.SharedKafkaBroker;
import io.streamrec.schemas.EventRecords;
import io.streamrec.schemas.Keys;
import io.streamrec.schemas.RecordSerdes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A cold-start movie live, on the real broker: a user new to the model rates every movie of one genre of the generated
 * catalogue (the model learned that genre's direction from the generated data's genre structure); then a {@code Movie}
 * of that genre that the model does not know is published on {@code movies} while the user goes on rating the genre's
 * movies (one event every 100 ms). The movie must be in one of the user's next lists within {@link #BOUND}; the time from sending the
 * Movie to the first list holding it (the list's {@code generatedAt}, committed and read read_committed) is printed, as
 * is the time until the served model held it. {@code GET /movies/{id}} and the user's list over HTTP show its title
 * from the movies topic.
 */
@ExtendWith(SharedKafkaBroker.class)
@Timeout(120)
class NewMovieLiveIT {
    static final Duration BOUND = Duration.ofSeconds(10);
    static final int NEW_MOVIE = 900_001;

    @Test
    void aNewMovieOfTheGenreAUserLikesIsInTheirListsWithinSeconds(EmbeddedKafka kafka) throws Exception {
        Map<String, String> deployment = new HashMap<>(TestInstances.deployment(kafka, 2));
        deployment.put("movies.new.capacity", "10");
        try (RecommenderInstance app = TestInstances.start(deployment)) {
            RecommenderModel model = app.app().model().model();
            GenreFan fan = GenreFan.of(model);
            int last = fan.movies().length - 1;
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            String ratings = app.config().ratingsTopic();
            Http http = new Http(app.baseUrl());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
                 KafkaConsumer<Long, Recommendations> lists = lists(kafka, app.config().recommendationsTopic())) {
                long t = System.currentTimeMillis() - 60_000;
                for (int e = 0; e < last; e++) producer.send(EventRecords.rating(ratings, fan.userId(), fan.movies()[e], fan.ratings()[e], t + e));
                producer.flush();
                http.await("/users/" + fan.userId() + "/recommendations",
                        r -> r.status() == 200 && r.json().get("eventCount").asInt() == last, Duration.ofSeconds(30));
                assertEquals(-1, model.items().indexOf(NEW_MOVIE));

                String title = "A New " + fan.genres().get(0) + " Film (2025)";
                long sent = System.currentTimeMillis();
                producer.send(new ProducerRecord<>(app.config().moviesTopic(), Keys.movieIdSerde().serializer().serialize(null, NEW_MOVIE),
                        RecordSerdes.movie().serialize(app.config().moviesTopic(), new Movie(NEW_MOVIE, title, fan.genres(), 2025)))).get();
                long servedAt = 0, listedAt = 0, listCount = 0, listedFor = 0;
                int events = 0;
                long end = sent + BOUND.toMillis();
                while (listedAt == 0 && System.currentTimeMillis() < end) {
                    // the user goes on rating the genre's movies again (seen: they are not listed)
                    producer.send(EventRecords.rating(ratings, fan.userId(), fan.movies()[events % last], 5f, System.currentTimeMillis()));
                    events++;
                    long until = System.currentTimeMillis() + 100;
                    while (System.currentTimeMillis() < until && listedAt == 0) {
                        if (servedAt == 0 && model.items().indexOf(NEW_MOVIE) >= 0) servedAt = System.currentTimeMillis();
                        for (ConsumerRecord<Long, Recommendations> r : lists.poll(Duration.ofMillis(20))) {
                            if (r.key() != fan.userId() || r.value().getEventCount() <= last) continue;
                            listCount++;
                            if (r.value().getMovies().stream().map(RecommendedMovie::getMovieId).anyMatch(id -> id == NEW_MOVIE)) {
                                // the model may have taken the movie since this loop last looked (within the 20-ms poll)
                                if (servedAt == 0 && model.items().indexOf(NEW_MOVIE) >= 0) servedAt = System.currentTimeMillis();
                                listedAt = r.value().getGeneratedAt();
                                listedFor = r.value().getEventCount() - last;
                            }
                        }
                    }
                }
                assertTrue(servedAt > 0, "the served model took the movie within " + BOUND);
                assertTrue(listedAt > 0, "user " + fan.userId() + " (likes " + fan.genres() + ") got movie " + NEW_MOVIE
                        + " in a list within " + BOUND + " (" + listCount + " lists after the Movie was sent)");
                System.out.printf("[new movie] Movie sent -> in the served model %d ms, -> first list holding it made %d ms"
                                + " after (the list of the user's event %d after the Movie was sent, one every 100 ms; %d lists"
                                + " of the user read, %d events sent)%n", servedAt - sent, listedAt - sent, listedFor, listCount, events);
                assertEquals(1, app.app().served().newMovies().added());

                JsonNode movie = http.get("/movies/" + NEW_MOVIE).json();
                assertEquals(title, movie.get("title").asText());
                assertEquals(fan.genres().get(0), movie.get("genres").get(0).asText());
                JsonNode list = http.await("/users/" + fan.userId() + "/recommendations", r -> r.status() == 200
                        && r.body().contains("\"movieId\":" + NEW_MOVIE), Duration.ofSeconds(5)).json();
                boolean titled = false;
                for (JsonNode m : list.get("movies")) titled |= m.get("movieId").asInt() == NEW_MOVIE && m.get("title").asText().equals(title);
                assertTrue(titled, "the user's list over HTTP names the new movie by its title: " + list);
                assertTrue(http.get("/metrics").body().contains("streamrec_new_movies_total{outcome=\"added\"} 1.0"));
            }
        }
    }

    static KafkaConsumer<Long, Recommendations> lists(EmbeddedKafka kafka, String topic) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "new-movie-it-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<Long, Recommendations> consumer = new KafkaConsumer<>(c, Keys.userIdSerde().deserializer(),
                RecordSerdes.recommendations().deserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
