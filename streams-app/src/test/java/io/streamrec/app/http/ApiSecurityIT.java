package io.streamrec.app.http;

import io.streamrec.app.RecommenderInstance;
import io.streamrec.app.topology.TestModels;
import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.embedded.SharedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The API as an attacker on the same network meets it: one real instance with a tokens file, on the shared broker.
 * Unauthenticated reads and posts are 401, a {@code text/plain} post is 415, an oversized body 413; /health stays
 * open; errors name no internal address; the server listens on the loopback interface only.
 */
@ExtendWith(SharedKafkaBroker.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ApiSecurityIT {
    private static final String TOKEN = "s3cret-token-0123456789abcdef";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private RecommenderInstance service;
    private String base;
    private int movie;

    @BeforeAll
    void start(EmbeddedKafka kafka) throws Exception {
        Path tokens = Files.createTempFile("streamrec-tokens", ".txt");
        Files.writeString(tokens, "# API tokens, one per line\n\nanother-token-of-a-second-client\n" + TOKEN + "\n");
        Map<String, String> s = TestInstances.deployment(kafka, 2);
        s.put("http.tokens.file", tokens.toString());
        s.put("http.max.body.bytes", "1024");
        service = TestInstances.start(s);
        base = service.baseUrl();
        movie = TestModels.data().movies().get(0).movieId();
    }

    @AfterAll
    void stop() {
        if (service != null) service.close();
    }

    private HttpResponse<String> send(String method, String path, String contentType, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (contentType != null) b.header("Content-Type", contentType);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String rating(long user) {
        return "{\"userId\": " + user + ", \"movieId\": " + movie + ", \"rating\": 4}";
    }

    @Test
    void healthIsOpen() throws Exception {
        assertEquals(200, send("GET", "/health", null, null, null).statusCode());
    }

    @Test
    void userDataReadsNeedAToken() throws Exception {
        for (String path : new String[]{"/users/1/recommendations", "/users", "/status", "/metrics", "/movies/" + movie}) {
            var r = send("GET", path, null, null, null);
            assertEquals(401, r.statusCode(), path + ": " + r.body());
            assertTrue(r.body().contains("bearer token"), r.body());
            assertEquals(401, send("GET", path, null, null, "wrong-token-but-long-enough").statusCode(), path);
        }
        assertEquals(404, send("GET", "/users/1/recommendations", null, null, TOKEN).statusCode(), "no list yet, but let in");
        assertEquals(200, send("GET", "/users", null, null, TOKEN).statusCode());
        assertEquals(200, send("GET", "/metrics", null, null, TOKEN).statusCode());
        assertEquals(200, send("GET", "/movies/" + movie, null, null, "another-token-of-a-second-client").statusCode());
    }

    @Test
    void postingNeedsATokenAndJson() throws Exception {
        var r = send("POST", "/events", "application/json", rating(800_001), null);
        assertEquals(401, r.statusCode(), r.body());
        r = send("POST", "/events", "text/plain", rating(800_001), TOKEN);
        assertEquals(415, r.statusCode(), r.body());
        assertTrue(r.body().contains("Content-Type: must be application/json"), r.body());
        r = send("POST", "/events", null, rating(800_001), TOKEN);
        assertEquals(415, r.statusCode(), r.body());
        r = send("POST", "/events", "application/json; charset=utf-8", rating(800_001), TOKEN);
        assertEquals(202, r.statusCode(), r.body());
    }

    @Test
    void aTooLargeBodyIs413() throws Exception {
        String big = "{\"userId\": 1, \"movieId\": 2, \"rating\": 4, \"pad\": \"" + "x".repeat(2000) + "\"}";
        var r = send("POST", "/events", "application/json", big, TOKEN);
        assertEquals(413, r.statusCode(), r.body());
    }

    @Test
    void statusCountsUsersFromThePerPartitionCounts() throws Exception {
        long before = usersNow();
        assertEquals(202, send("POST", "/events", "application/json", rating(800_101), TOKEN).statusCode());
        assertEquals(202, send("POST", "/events", "application/json", rating(800_102), TOKEN).statusCode());
        assertEquals(202, send("POST", "/events", "application/json", rating(800_101), TOKEN).statusCode());
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (usersNow() < before + 2 && System.nanoTime() < end) Thread.sleep(50);
        assertEquals(before + 2, usersNow(), "two new users, one of them twice");
    }

    private long usersNow() throws Exception {
        var body = send("GET", "/status", null, null, TOKEN).body();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        return json.path("users").asLong(-1);
    }

    @Test
    void listensOnLoopbackOnly() throws Exception {
        assertEquals("127.0.0.1", service.config().httpHost(), "the default");
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isLoopback() || !nic.isUp()) continue;
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (!(a instanceof Inet4Address)) continue;
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(a, service.http().port()), 2000);
                    fail("the API answered on " + a.getHostAddress());
                } catch (ConnectException expected) {
                    // refused: nothing listens there
                } catch (IOException other) {
                    // a timeout also means unreachable
                }
            }
        }
    }
}
