package io.streamrec.app.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.streamrec.app.RecommenderStreams;
import io.streamrec.app.config.AppConfig;
import io.streamrec.app.metrics.LiveStatus;
import io.streamrec.app.metrics.RecommenderMetrics;
import io.streamrec.avro.Recommendations;
import io.streamrec.avro.RecommendedMovie;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP side of one instance (Javalin): the query API, event intake, health, Prometheus metrics and the web page.
 * <pre>
 * GET  /users/{id}/recommendations   the user's current list (interactive query, forwarded to the owning instance)
 * GET  /users?limit=N                users this instance holds, for the page's picker
 * GET  /movies/{id}                  a catalogue entry
 * GET  /movies/{id}/similar?k=10     nearest movies by embedding (cosine)
 * GET  /movies/map                   2-D PCA map of the movie embeddings, with each movie's first genre
 * POST /events                       a rating or watch as JSON, validated, produced to its input topic
 *                                    (Idempotency-Key header: the event id, so a retry is not applied twice)
 * GET  /health/live                  200 unless Kafka Streams is in ERROR (liveness: do not restart a restoring pod)
 * GET  /health/ready                 200 while Kafka Streams is RUNNING or REBALANCING and not closing, else 503
 * GET  /health/started               200 once Kafka Streams was started (start-up probe), else 503
 * GET  /health                       as /health/ready
 * GET  /status                       live numbers as JSON (events, users, DLQ, latency, live RMSE and HR@10)
 * GET  /metrics                      Prometheus text format
 * GET  /                             the web page (static files under resources/web)
 * </pre>
 * Every error is JSON {@code {"status": 400, "error": "rating: must be ..."}} naming the field or the id; a 500 says
 * only "internal error" and an id to find the details in the log.
 *
 * <p>Safe by default: the server binds {@code http.host} (loopback unless configured); with {@code http.tokens.file}
 * every endpoint but {@code /health}, the page's static files and (if {@code http.metrics.public}) {@code /metrics}
 * needs {@code Authorization: Bearer <token>} (401 otherwise); {@code POST /events} needs
 * {@code Content-Type: application/json} (415 otherwise: a web page cannot send that cross-origin without a CORS
 * preflight, which this server never grants) and a body of at most {@code http.max.body.bytes} (413).
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final int MAX_USERS_LISTED = 1000;

    private final RecommenderStreams app;
    private final RecommenderMetrics metrics;
    private final RecommendationLookup lookup;
    private Catalogue catalogue;
    private final MoviesStore movies;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AppConfig config;
    private final ApiTokens tokens;
    private final Javalin javalin;
    private final Health health;

    public ApiServer(AppConfig config, int port, RecommenderStreams app, RecommenderMetrics metrics, HostInfo self,
              KafkaProducer<byte[], byte[]> producer) {
        this.config = config;
        this.app = app;
        this.metrics = metrics;
        this.lookup = new RecommendationLookup(app.streams(), self);
        this.movies = new MoviesStore(app.streams());
        this.catalogue = new Catalogue(app.model().model(), movies, app.served().newMovies().changes());
        this.producer = producer;
        this.tokens = ApiTokens.read(config.httpTokensFile());
        int maxBody = config.httpMaxBodyBytes();
        this.health = new Health(app.streams());
        this.javalin = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.http.maxRequestSize = maxBody;
            c.staticFiles.add("/web", Location.CLASSPATH);
            c.routes.beforeMatched(this::admit);
            c.routes.get(Health.LEGACY, ctx -> health(ctx, health.ready()));
            c.routes.get(Health.READY, ctx -> health(ctx, health.ready()));
            c.routes.get(Health.LIVE, ctx -> health(ctx, health.live()));
            c.routes.get(Health.STARTED, ctx -> health(ctx, health.started()));
            c.routes.get("/status", ctx -> ctx.json(status()));
            c.routes.get("/metrics", ctx -> ctx.contentType(RecommenderMetrics.contentType()).result(metrics.scrape()));
            c.routes.get("/users", this::users);
            c.routes.get("/users/{id}/recommendations", this::recommendations);
            c.routes.get("/movies/map", ctx -> ctx.json(catalogue().map()));
            c.routes.get("/movies/{id}", ctx -> ctx.json(catalogue().movie(movieId(ctx))));
            c.routes.get("/movies/{id}/similar", ctx -> ctx.json(catalogue().similar(movieId(ctx), intQuery(ctx, "k", 10))));
            c.routes.post("/events", this::postEvent);
            c.routes.exception(ApiError.class, (e, ctx) -> ctx.status(e.status()).json(new ApiError.Body(e.status(), e.getMessage())));
            c.routes.exception(HttpResponseException.class, (e, ctx) ->
                    ctx.status(e.getStatus()).json(new ApiError.Body(e.getStatus(), e.getMessage())));
            c.routes.exception(Exception.class, (e, ctx) -> {
                String id = Long.toHexString(ThreadLocalRandom.current().nextLong());
                log.warn("{} {} failed (error id {})", ctx.method(), ctx.path(), id, e);
                ctx.status(500).json(new ApiError.Body(500, "internal error (id " + id + " in the server log)"));
            });
        });
        javalin.start(config.httpHost(), port);
    }

    /**
     * Before every matched endpoint: the token (when configured), then for a body-carrying request its type and
     * size, before anything reads it.
     */
    private void admit(Context ctx) {
        String path = ctx.path();
        boolean open = path.equals("/health") || path.startsWith("/health/")
                || (path.equals("/metrics") && config.httpMetricsPublic());
        if (!open && !tokens.allows(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"streamrec\"");
            throw new ApiError(401, "authorization: a bearer token is required (Authorization: Bearer <token>)");
        }
        if (ctx.method() == io.javalin.http.HandlerType.POST) {
            String type = ctx.contentType();
            String mime = type == null ? "" : type.split(";", 2)[0].strip();
            if (!mime.equalsIgnoreCase("application/json")) {
                throw new ApiError(415, "Content-Type: must be application/json, was " + (type == null ? "none" : "\"" + type + "\""));
            }
            long length = ctx.contentLength();
            if (length > config.httpMaxBodyBytes()) {
                throw new ApiError(413, "body: " + length + " bytes, more than the " + config.httpMaxBodyBytes() + " allowed");
            }
        }
    }

    /**
     * The catalogue of the model served now: rebuilt on the first request after a hot swap or after new movies got
     * vectors (their neighbours and their place on the map).
     */
    private synchronized Catalogue catalogue() {
        long changes = app.served().newMovies().changes();
        var m = app.model().model();
        if (catalogue.model() != m || catalogue.built() != changes) catalogue = new Catalogue(m, movies, changes);
        return catalogue;
    }

    public int port() {
        return javalin.port();
    }

    /** The numbers the demo prints and the page shows. */
    public LiveStatus status() {
        var q = app.quality();
        long users = lookup.users();
        return new LiveStatus(q.events(), users < 0 ? null : users, app.dlq().total(),
                LiveStatus.orNull(metrics.latencyMillis(0.5)), LiveStatus.orNull(metrics.latencyMillis(0.99)),
                LiveStatus.orNull(q.rmse()), LiveStatus.orNull(q.hitRate()), app.streams().state().name(),
                app.model().model().version());
    }

    private void health(Context ctx, Health.Answer answer) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("status", answer.status(), "streams", answer.streams(),
                "closing", answer.closing(), "model", app.model().model().version()));
        // a published version that failed to load: still up (the old model serves), but say so (not why: the reason
        // can name paths on the instance, and /health needs no token; it is in the log)
        String failure = app.served().lastFailureSummary();
        if (failure != null) body.put("modelLoadError", failure);
        ctx.status(answer.httpStatus()).json(body);
    }

    public Health health() {
        return health;
    }

    private void users(Context ctx) {
        int limit = intQuery(ctx, "limit", 100);
        if (limit < 1 || limit > MAX_USERS_LISTED) throw ApiError.badRequest("limit: must be from 1 to " + MAX_USERS_LISTED + ", was " + limit);
        List<Map<String, Long>> out = new ArrayList<>();
        for (long[] u : lookup.localUsers(limit)) out.add(Map.of("userId", u[0], "eventCount", u[1]));
        ctx.json(out);
    }

    private void recommendations(Context ctx) {
        long userId = userId(ctx);
        HostInfo owner = lookup.owner(userId, ctx.header(RecommendationLookup.FORWARDED_HEADER) != null);
        if (owner != null) {
            var resp = lookup.forward(owner, ctx.path(), ctx.header("Authorization"));
            ctx.status(resp.statusCode()).contentType("application/json").result(resp.body());
            return;
        }
        Recommendations r = lookup.local(userId);
        if (r == null) throw ApiError.notFound("user " + userId + ": no recommendations yet (no event from this user has been processed)");
        List<Catalogue.Scored> movies = new ArrayList<>(r.getMovies().size());
        for (RecommendedMovie m : r.getMovies()) movies.add(catalogue().scored(m.getMovieId(), m.getScore()));
        ctx.json(new UserList(userId, movies, r.getModelVersion(), r.getGeneratedAt(), r.getEventCount()));
    }

    /** The response of {@code GET /users/{id}/recommendations}. */
    public record UserList(long userId, List<Catalogue.Scored> movies, String modelVersion, long generatedAt, long eventCount) {}

    /** The response of {@code POST /events}: where the event was written. */
    public record Accepted(String type, long userId, int movieId, String topic, int partition, long offset) {}

    private void postEvent(Context ctx) throws InterruptedException {
        EventRequest e = EventRequest.parse(ctx.body(), ctx.header("Idempotency-Key"), System.currentTimeMillis(),
                config.maxFutureSkewMs());
        var record = e.toRecord(config.ratingsTopic(), config.watchesTopic());
        try {
            RecordMetadata md = producer.send(record).get(10, TimeUnit.SECONDS);
            ctx.status(202).json(new Accepted(e.isRating() ? "rating" : "watch", e.userId(), e.movieId(), md.topic(),
                    md.partition(), md.offset()));
        } catch (ExecutionException | TimeoutException ex) {
            log.warn("POST /events: could not write to {}", record.topic(), ex);
            throw ApiError.unavailable("could not write the event to " + record.topic() + "; retry shortly");
        }
    }

    private static long userId(Context ctx) {
        return pathId(ctx, "user", Long.MAX_VALUE);
    }

    private static int movieId(Context ctx) {
        return (int) pathId(ctx, "movie", Integer.MAX_VALUE);
    }

    private static long pathId(Context ctx, String kind, long max) {
        String raw = ctx.pathParam("id");
        try {
            long v = Long.parseLong(raw);
            if (v >= 0 && v <= max) return v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiError.badRequest("id: " + kind + " id must be an integer from 0 to " + max + ", was \"" + raw + "\"");
    }

    private static int intQuery(Context ctx, String name, int dflt) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) return dflt;
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name + ": must be an integer, was \"" + raw + "\"");
        }
    }

    @Override
    public void close() {
        javalin.stop();
    }
}
