package io.streamrec.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamrec.app.RecommenderInstance;
import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.embedded.SharedKafkaBroker;
import io.streamrec.app.topology.TestModels;
import io.streamrec.schemas.Keys;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static io.streamrec.app.metrics.RecommenderMetricsTestAccess.value;
import static org.junit.jupiter.api.Assertions.*;

/** Every endpoint of one real instance on the shared KRaft broker, good requests and bad. */
@ExtendWith(SharedKafkaBroker.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ApiIT {
    private RecommenderInstance service;
    private Http http;
    private int knownMovie;
    private int secondMovie;

    @BeforeAll
    void start(EmbeddedKafka kafka) throws Exception {
        service = TestInstances.start(TestInstances.deployment(kafka, 2));
        http = new Http(service.baseUrl());
        var items = TestModels.data().movies();
        knownMovie = items.get(0).movieId();
        secondMovie = items.get(1).movieId();
    }

    @AfterAll
    void stop() {
        if (service != null) service.close();
    }

    @Test
    void healthIsUpWhenRunningWithTheModel() {
        var r = http.get("/health");
        assertEquals(200, r.status(), r.body());
        assertEquals("UP", r.json().get("status").asText());
        assertEquals("RUNNING", r.json().get("streams").asText());
        assertEquals(service.app().model().model().version(), r.json().get("model").asText());
        for (String probe : new String[]{Health.STARTED, Health.READY, Health.LIVE}) {
            var p = http.get(probe);
            assertEquals(200, p.status(), probe + ": " + p.body());
            assertEquals("UP", p.json().get("status").asText(), probe);
            assertEquals(false, p.json().get("closing").asBoolean(), probe);
        }
    }

    @Test
    void aPostedRatingProducesAListServedFromTheStore() throws Exception {
        long user = 900_001;
        var posted = http.post("/events", "{\"userId\": " + user + ", \"movieId\": " + knownMovie + ", \"rating\": 4.5}");
        assertEquals(202, posted.status(), posted.body());
        assertEquals("rating", posted.json().get("type").asText());
        assertEquals(service.config().ratingsTopic(), posted.json().get("topic").asText());

        var r = http.await("/users/" + user + "/recommendations", x -> x.status() == 200, Duration.ofSeconds(20));
        assertEquals(200, r.status(), r.body());
        JsonNode list = r.json();
        assertEquals(user, list.get("userId").asLong());
        assertEquals(1, list.get("eventCount").asLong());
        assertEquals(10, list.get("movies").size());
        Set<Integer> ids = new HashSet<>();
        for (JsonNode m : list.get("movies")) {
            ids.add(m.get("movieId").asInt());
            assertFalse(m.get("title").asText().isEmpty());
            assertTrue(m.get("score").isNumber());
        }
        assertFalse(ids.contains(knownMovie), "a seen movie is never recommended");

        var watch = http.post("/events", "{\"type\": \"watch\", \"userId\": " + user + ", \"movieId\": " + secondMovie
                + ", \"secondsWatched\": 3000, \"movieLengthSeconds\": 6000}");
        assertEquals(202, watch.status(), watch.body());
        assertEquals(service.config().watchesTopic(), watch.json().get("topic").asText());
        r = http.await("/users/" + user + "/recommendations", x -> x.json().path("eventCount").asLong() == 2, Duration.ofSeconds(20));
        assertEquals(2, r.json().get("eventCount").asLong(), r.body());

        // the listing of users with lists names this one with the count its list was made from
        var users = http.get("/users?limit=1000");
        assertEquals(200, users.status(), users.body());
        long listed = -1;
        for (JsonNode u : users.json()) if (u.get("userId").asLong() == user) listed = u.get("eventCount").asLong();
        assertEquals(2, listed, users.body());
    }

    @Test
    void aRepeatedIdempotencyKeyChangesNothing() throws Exception {
        long user = 900_003;
        String body = "{\"userId\": " + user + ", \"movieId\": " + knownMovie + ", \"rating\": 4.5}";
        assertEquals(202, http.post("/events", body, "Idempotency-Key", "retry-me-1").status());
        var first = http.await("/users/" + user + "/recommendations", x -> x.status() == 200, Duration.ofSeconds(20));
        assertEquals(1, first.json().get("eventCount").asLong(), first.body());
        long duplicatesBefore = service.app().dlq().count(io.streamrec.schemas.DlqReasons.DUPLICATE_EVENT);

        // the client timed out and retries: accepted on the wire, dropped by the app
        var retry = http.post("/events", body, "Idempotency-Key", "retry-me-1");
        assertEquals(202, retry.status(), retry.body());
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (service.app().dlq().count(io.streamrec.schemas.DlqReasons.DUPLICATE_EVENT) == duplicatesBefore
                && System.nanoTime() < end) Thread.sleep(50);
        assertEquals(duplicatesBefore + 1, service.app().dlq().count(io.streamrec.schemas.DlqReasons.DUPLICATE_EVENT));
        var after = http.get("/users/" + user + "/recommendations");
        assertEquals(first.json().get("eventCount"), after.json().get("eventCount"), "not counted");
        assertEquals(first.json().get("generatedAt"), after.json().get("generatedAt"), "no new list");

        // a new key is a new event
        assertEquals(202, http.post("/events", body.replace(String.valueOf(knownMovie), String.valueOf(secondMovie)),
                "Idempotency-Key", "retry-me-2").status());
        var next = http.await("/users/" + user + "/recommendations", x -> x.json().path("eventCount").asLong() == 2,
                Duration.ofSeconds(20));
        assertEquals(2, next.json().get("eventCount").asLong(), next.body());
        var bad = http.post("/events", body, "Idempotency-Key", "x".repeat(200));
        assertEquals(400, bad.status());
        assertTrue(bad.error().startsWith("Idempotency-Key: must be 1 to 128"), bad.error());
    }

    @Test
    void unknownUserIs404WithAMessage() {
        var r = http.get("/users/987654321/recommendations");
        assertEquals(404, r.status());
        assertEquals(404, r.json().get("status").asInt());
        assertTrue(r.error().contains("user 987654321"), r.error());
    }

    @Test
    void badIdsAre400NamingTheParameter() {
        var r = http.get("/users/abc/recommendations");
        assertEquals(400, r.status());
        assertTrue(r.error().startsWith("id: "), r.error());
        r = http.get("/users/-5/recommendations");
        assertEquals(400, r.status());
        r = http.get("/movies/x1/similar");
        assertEquals(400, r.status());
        assertTrue(r.error().startsWith("id: "), r.error());
    }

    @Test
    void malformedJsonIs400NamingTheField() {
        var r = http.post("/events", "{\"userId\": 1, \"movieId\": 2, \"rating\": }");
        assertEquals(400, r.status(), r.body());
        assertTrue(r.error().contains("malformed JSON") && r.error().contains("\"rating\""), r.error());
        r = http.post("/events", "not json");
        assertEquals(400, r.status());
        assertTrue(r.error().startsWith("body: malformed JSON"), r.error());
        r = http.post("/events", "[1, 2]");
        assertEquals(400, r.status());
        assertTrue(r.error().startsWith("body: must be a JSON object"), r.error());
    }

    @Test
    void invalidEventsAre400NamingTheField() {
        String[][] cases = {
                {"{\"movieId\": 2, \"rating\": 4}", "userId: required"},
                {"{\"userId\": \"seven\", \"movieId\": 2, \"rating\": 4}", "userId: must be an integer"},
                {"{\"userId\": -1, \"movieId\": 2, \"rating\": 4}", "userId: must be >= 0"},
                {"{\"userId\": 1, \"movieId\": 2, \"rating\": 7}", "rating: must be in [0.5, 5]"},
                {"{\"userId\": 1, \"movieId\": 2, \"rating\": 0.4}", "rating: must be in [0.5, 5]"},
                {"{\"userId\": 1, \"movieId\": 2}", "rating, secondsWatched: one is required"},
                {"{\"userId\": 1, \"movieId\": 2, \"type\": \"rating\"}", "rating: required"},
                {"{\"userId\": 1, \"movieId\": 2, \"rating\": 4, \"secondsWatched\": 10}", "rating, secondsWatched: give one"},
                {"{\"userId\": 1, \"movieId\": 2, \"rating\": 4, \"stars\": 4}", "stars: unknown field"},
                {"{\"userId\": 1, \"movieId\": 2, \"type\": \"watch\", \"secondsWatched\": -3}", "secondsWatched: must be >= 0"},
                {"{\"userId\": 1, \"movieId\": 2, \"rating\": 4, \"eventTime\": 99999999999999}", "eventTime: "}
        };
        for (String[] c : cases) {
            var r = http.post("/events", c[0]);
            assertEquals(400, r.status(), c[0] + " -> " + r.body());
            assertTrue(r.error().startsWith(c[1]), c[0] + " -> " + r.error());
        }
    }

    @Test
    void similarMoviesAreTheNearestOthers() {
        var r = http.get("/movies/" + knownMovie + "/similar?k=5");
        assertEquals(200, r.status(), r.body());
        assertEquals(5, r.json().size());
        double previous = Double.MAX_VALUE;
        for (JsonNode m : r.json()) {
            assertNotEquals(knownMovie, m.get("movieId").asInt());
            assertTrue(m.get("score").asDouble() <= previous + 1e-9, "best first");
            previous = m.get("score").asDouble();
        }
        assertEquals(10, http.get("/movies/" + knownMovie + "/similar").json().size(), "k defaults to 10");
        var bad = http.get("/movies/" + knownMovie + "/similar?k=0");
        assertEquals(400, bad.status());
        assertTrue(bad.error().startsWith("k: "), bad.error());
        var unknown = http.get("/movies/77777777/similar");
        assertEquals(404, unknown.status());
        assertTrue(unknown.error().contains("movie 77777777"), unknown.error());
    }

    @Test
    void movieAndMapEndpoints() {
        var m = http.get("/movies/" + knownMovie);
        assertEquals(200, m.status());
        assertEquals(TestModels.data().movies().get(0).title(), m.json().get("title").asText());
        var map = http.get("/movies/map");
        assertEquals(200, map.status());
        assertTrue(map.json().size() > 10);
        JsonNode p = map.json().get(0);
        assertTrue(p.get("x").isNumber() && p.get("y").isNumber() && p.get("genre").isTextual());
    }

    @Test
    void metricsShowEventsDeadLettersLatencyAndKafkaStreams() throws Exception {
        String before = http.get("/metrics").body();
        double dlqBefore = value(before, "streamrec_dlq_records_total", "reason=\"deserialization\"");
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", service.config().bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(service.config().ratingsTopic(), Keys.userKey(5),
                    "poison".getBytes(StandardCharsets.UTF_8))).get();
        }
        long user = 900_002;
        assertEquals(202, http.post("/events", "{\"userId\": " + user + ", \"movieId\": " + knownMovie + ", \"rating\": 3}").status());
        http.await("/users/" + user + "/recommendations", x -> x.status() == 200, Duration.ofSeconds(20));
        var r = http.await("/metrics", x -> value(x.body(), "streamrec_dlq_records_total", "reason=\"deserialization\"") > dlqBefore,
                Duration.ofSeconds(20));
        assertEquals(200, r.status());
        assertTrue(r.contentType().startsWith("text/plain"), r.contentType());
        String text = r.body();
        assertEquals(dlqBefore + 1, value(text, "streamrec_dlq_records_total", "reason=\"deserialization\""));
        assertEquals(service.app().quality().events(), value(text, "streamrec_events_total", ""));
        assertTrue(value(text, "streamrec_event_to_recommendation_latency_seconds_count", "") >= 1);
        assertTrue(value(text, "streamrec_live_rmse", "") >= 0);
        assertTrue(text.contains("kafka_stream_thread_process_total") || text.contains("kafka_stream_thread_process_rate"),
                "Kafka Streams client metrics are exposed");
        // store metrics appear at the binder's next refresh after the tasks' stores open
        String stores = http.await("/metrics", x -> x.body().contains("kafka_stream_state_"), Duration.ofSeconds(20)).body();
        assertFalse(stores.contains("uncommitted_bytes"), "the uncommitted-bytes gauge is not read (it can crash the JVM)");
        var status = http.get("/status").json();
        assertEquals("RUNNING", status.get("state").asText());
        assertTrue(status.get("events").asLong() >= 1);
    }

    @Test
    void thePageAndItsScriptAreServed() {
        var page = http.get("/");
        assertEquals(200, page.status());
        assertTrue(page.body().contains("<canvas id=\"map\""), "index.html");
        assertEquals(200, http.get("/app.js").status());
    }
}
