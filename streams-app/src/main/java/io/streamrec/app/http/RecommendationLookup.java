package io.streamrec.app.http;

import io.streamrec.app.topology.EventTopology;
import io.streamrec.avro.Recommendations;
import io.streamrec.app.topology.LastListRecord;
import io.streamrec.core.model.UserState;
import io.streamrec.schemas.Keys;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Reads a user's current list through interactive queries: from the user's state, which keeps the last list sent
 * whole; for a state stored by an older release (ids only) from the list store that release wrote. Users are spread over instances by partition: Kafka
 * Streams knows from {@code application.server} which instance holds a key ({@link KafkaStreams#queryMetadataForKey});
 * when that is another one, the request is forwarded to it over HTTP, once (a forwarded request is always answered
 * locally, so two instances that disagree during a rebalance cannot bounce a request between them).
 */
final class RecommendationLookup {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RecommendationLookup.class);
    static final String FORWARDED_HEADER = "X-Streamrec-Forwarded";
    private final KafkaStreams streams;
    private final HostInfo self;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** @param self this instance's {@code application.server}, or null when not set (then every query is local) */
    RecommendationLookup(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    /** Where the user's list lives: null for here, else the instance to forward to. */
    HostInfo owner(long userId, boolean forwarded) {
        if (self == null || forwarded) return null;
        KeyQueryMetadata md;
        try {
            md = streams.queryMetadataForKey(EventTopology.USER_STATE_STORE, userId, Keys.userIdSerde().serializer());
        } catch (InvalidStateStoreException | IllegalStateException e) {
            throw notQueryable(); // not started yet, or shutting down / failed
        }
        if (md == null || md == KeyQueryMetadata.NOT_AVAILABLE) {
            throw notQueryable(); // no instance owns the user's partition right now (rebalancing): 503, retry
        }
        if (md.activeHost().equals(self)) {
            localPartition.set(md.partition());
            return null;
        }
        return md.activeHost();
    }

    /**
     * Whether the store holds no entry: one seek, not RocksDB's estimate of the number of keys (it subtracts deletes,
     * so it can say 0 while entries remain once many have been deleted).
     */
    private static boolean isEmpty(ReadOnlyKeyValueStore<Long, Recommendations> store) {
        try (KeyValueIterator<Long, Recommendations> it = store.all()) {
            return !it.hasNext();
        }
    }

    /** States read per user {@link #localUsers} is asked for, at most. */
    static final int SCANNED_PER_LISTED = 20;

    /** The user's partition when {@link #owner} found it active here, for {@link #local}; -1 when not looked up. */
    private final ThreadLocal<Integer> localPartition = ThreadLocal.withInitial(() -> -1);

    /**
     * The list held here, or null when this instance has none for the user. After {@link #owner} found the user's
     * partition active here, only that partition's store is read: if the partition is restoring or has just moved
     * away, that is a 503 for this request (retry), never a 404 for a user who exists.
     */
    Recommendations local(long userId) {
        int partition = localPartition.get();
        localPartition.set(-1);
        try {
            ReadOnlyKeyValueStore<Long, UserState> states = store(EventTopology.USER_STATE_STORE, partition);
            return listOf(userId, states.get(userId), id -> {
                ReadOnlyKeyValueStore<Long, Recommendations> legacy = store(EventTopology.RECOMMENDATIONS_STORE, partition);
                return legacy.get(id);
            });
        } catch (InvalidStateStoreException e) {
            throw notQueryable(); // the partition moved away (rebalance) between finding the store and reading it
        }
    }

    /**
     * The user's list: the one {@code state} keeps whole; else (no state, or one an older release stored with the
     * list's ids only) what {@code legacy} holds for the user, which may be null.
     */
    static Recommendations listOf(long userId, UserState state, LongFunction<Recommendations> legacy) {
        return state != null && state.hasServableList() ? LastListRecord.of(userId, state) : legacy.apply(userId);
    }

    /** Asks the owning instance; returns its status and JSON body unchanged. */
    HttpResponse<String> forward(HostInfo owner, String pathAndQuery, String authorization) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://" + owner.host() + ":" + owner.port() + pathAndQuery))
                .header(FORWARDED_HEADER, "1").timeout(Duration.ofSeconds(5)).GET();
        if (authorization != null) req.header("Authorization", authorization); // every instance reads the same tokens
        try {
            return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // the owner's address stays in the log: clients need not learn the deployment's internal addresses
            log.warn("forwarding {} to {}:{} failed", pathAndQuery, owner.host(), owner.port(), e);
            throw ApiError.unavailable("the instance that holds this user did not answer; retry shortly");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.unavailable("interrupted while asking the instance that holds this user");
        }
    }

    /**
     * Up to {@code limit} users whose lists this instance holds, with the event counts their lists were made from, in
     * key order. A user with a state but no list yet (only warm-started) is left out; so that many such users cannot
     * make one request walk the whole store, at most {@value #SCANNED_PER_LISTED} states per user asked for are read.
     */
    List<long[]> localUsers(int limit) {
        List<long[]> out = new ArrayList<>();
        ReadOnlyKeyValueStore<Long, UserState> states = store(EventTopology.USER_STATE_STORE, -1);
        ReadOnlyKeyValueStore<Long, Recommendations> legacy = store(EventTopology.RECOMMENDATIONS_STORE, -1);
        boolean legacyEmpty = isEmpty(legacy); // a deployment that began with this release, or one whose users all moved
        long budget = (long) SCANNED_PER_LISTED * limit;
        try (KeyValueIterator<Long, UserState> it = states.all()) {
            while (it.hasNext() && out.size() < limit && budget-- > 0) {
                var kv = it.next();
                if (kv.value.hasServableList()) {
                    out.add(new long[]{kv.key, kv.value.lastListEventCount()});
                    continue;
                }
                Recommendations old = legacyEmpty ? null : legacy.get(kv.key);
                if (old != null) out.add(new long[]{kv.key, old.getEventCount()});
            }
        } catch (InvalidStateStoreException e) {
            throw notQueryable();
        }
        return out;
    }

    /**
     * Users whose state this instance holds (active tasks): the sum of the per-partition counts the processor keeps
     * in {@link EventTopology#USER_COUNT_STORE}, one entry per partition, so nothing walks the user states; -1 when
     * not queryable.
     */
    long users() {
        try {
            ReadOnlyKeyValueStore<Integer, Long> counts = streams.store(StoreQueryParameters.fromNameAndType(
                    EventTopology.USER_COUNT_STORE, QueryableStoreTypes.keyValueStore()));
            long n = 0;
            try (KeyValueIterator<Integer, Long> it = counts.all()) {
                while (it.hasNext()) n += it.next().value;
            }
            return n;
        } catch (InvalidStateStoreException | IllegalStateException e) {
            return -1; // rebalancing, or shutting down
        }
    }

    /** Store {@code name} of this instance's active tasks: only {@code partition}'s, or all of them when it is -1. */
    private <V> ReadOnlyKeyValueStore<Long, V> store(String name, int partition) {
        try {
            var query = StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<Long, V>keyValueStore());
            return streams.store(partition < 0 ? query : query.withPartition(partition));
        } catch (InvalidStateStoreException | IllegalStateException e) {
            throw notQueryable();
        }
    }

    private ApiError notQueryable() {
        return ApiError.unavailable("user states not queryable yet (state " + streams.state() + "); retry shortly");
    }
}
