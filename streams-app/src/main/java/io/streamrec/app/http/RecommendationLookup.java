package io.streamrec.app.http;

import io.streamrec.app.topology.EventTopology;
import io.streamrec.avro.Recommendations;
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

/**
 * Reads a user's current list through interactive queries. Users are spread over instances by partition: Kafka
 * Streams knows from {@code application.server} which instance holds a key ({@link KafkaStreams#queryMetadataForKey});
 * when that is another one, the request is forwarded to it over HTTP, once (a forwarded request is always answered
 * locally, so two instances that disagree during a rebalance cannot bounce a request between them).
 */
final class RecommendationLookup {
    static final String FORWARDED_HEADER = "X-Streamrec-Forwarded";
    private final KafkaStreams streams;
    private final HostInfo self;
    private static final long MAX_COUNTED = 10_000_000;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile long counted = -1;
    private volatile long countedAt;

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
            md = streams.queryMetadataForKey(EventTopology.RECOMMENDATIONS_STORE, userId, Keys.userIdSerde().serializer());
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
            return (partition < 0 ? store() : store(partition)).get(userId);
        } catch (InvalidStateStoreException e) {
            throw notQueryable(); // the partition moved away (rebalance) between finding the store and reading it
        }
    }

    /** Asks the owning instance; returns its status and JSON body unchanged. */
    HttpResponse<String> forward(HostInfo owner, String pathAndQuery) {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + owner.host() + ":" + owner.port() + pathAndQuery))
                .header(FORWARDED_HEADER, self.host() + ":" + self.port()).timeout(Duration.ofSeconds(5)).GET().build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw ApiError.unavailable("instance " + owner.host() + ":" + owner.port() + " that holds this user did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.unavailable("interrupted while asking " + owner.host() + ":" + owner.port());
        }
    }

    /** Up to {@code limit} users whose lists this instance holds, with their event counts, in key order. */
    List<long[]> localUsers(int limit) {
        List<long[]> out = new ArrayList<>();
        try (KeyValueIterator<Long, Recommendations> it = store().all()) {
            while (it.hasNext() && out.size() < limit) {
                var kv = it.next();
                out.add(new long[]{kv.key, kv.value.getEventCount()});
            }
        } catch (InvalidStateStoreException e) {
            throw notQueryable();
        }
        return out;
    }

    /**
     * Users whose state this instance holds, counted by walking the user-state store's keys (RocksDB's own estimate
     * counts overwrites too), at most every two seconds and up to {@link #MAX_COUNTED}; -1 when not queryable.
     */
    long users() {
        long now = System.nanoTime();
        if (now - countedAt < 2_000_000_000L && counted >= 0) return counted;
        long n = 0;
        try {
            ReadOnlyKeyValueStore<Long, Object> users = streams.store(StoreQueryParameters.fromNameAndType(
                    EventTopology.USER_STATE_STORE, QueryableStoreTypes.keyValueStore()));
            try (KeyValueIterator<Long, Object> it = users.all()) {
                while (it.hasNext() && n < MAX_COUNTED) {
                    it.next();
                    n++;
                }
            }
        } catch (InvalidStateStoreException | IllegalStateException e) {
            n = -1; // rebalancing, or shutting down
        }
        counted = n;
        countedAt = now;
        return n;
    }

    private ReadOnlyKeyValueStore<Long, Recommendations> store(int partition) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(EventTopology.RECOMMENDATIONS_STORE,
                    QueryableStoreTypes.<Long, Recommendations>keyValueStore()).withPartition(partition));
        } catch (InvalidStateStoreException | IllegalStateException e) {
            throw notQueryable();
        }
    }

    private ReadOnlyKeyValueStore<Long, Recommendations> store() {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(EventTopology.RECOMMENDATIONS_STORE,
                    QueryableStoreTypes.keyValueStore()));
        } catch (InvalidStateStoreException | IllegalStateException e) {
            throw notQueryable();
        }
    }

    private ApiError notQueryable() {
        return ApiError.unavailable("recommendations store not queryable yet (state " + streams.state() + "); retry shortly");
    }
}
