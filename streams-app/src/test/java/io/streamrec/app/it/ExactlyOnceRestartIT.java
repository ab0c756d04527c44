package io.streamrec.app.it;

import io.streamrec.app.RecommenderStreams;
import io.streamrec.app.config.AppConfig;
import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.embedded.SharedKafkaBroker;
import io.streamrec.app.topology.EventTopology;
import io.streamrec.avro.Recommendations;
import io.streamrec.core.model.UserState;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Against a real KRaft broker with exactly-once: events in, recommendations out; the application
 * is stopped mid-stream and a new instance (with an empty state directory, so state comes back
 * from the changelog) takes over. See {@link SigkillRestartIT} for the unclean version.
 */
@ExtendWith(SharedKafkaBroker.class)
class ExactlyOnceRestartIT {

    @Test
    @Timeout(300)
    void restartMidStreamNeitherLosesNorRepeatsAnEvent(EmbeddedKafka kafka, @TempDir Path stateA, @TempDir Path stateB) throws Exception {
        EosFixture eos = new EosFixture(kafka, "eos-it", 1200);
        int firstPart = 600;

        eos.produce(0, firstPart);
        try (RecommenderStreams app = new RecommenderStreams(AppConfig.of(eos.settings(stateA))).start()) {
            assertTrue(app.awaitRunning(Duration.ofSeconds(60)), "app A running");
            eos.awaitRecommendations(firstPart);
        }
        eos.produce(firstPart, eos.total);
        try (RecommenderStreams app = new RecommenderStreams(AppConfig.of(eos.settings(stateB))).start()) {
            assertTrue(app.awaitRunning(Duration.ofSeconds(60)), "app B running");
            List<Recommendations> out = eos.awaitRecommendations(eos.total);
            eos.assertNoGapNoRepeat(out);

            ReadOnlyKeyValueStore<Long, UserState> store = app.streams().store(StoreQueryParameters.fromNameAndType(
                    EventTopology.USER_STATE_STORE, QueryableStoreTypes.keyValueStore()));
            Map<Long, UserState> states = new HashMap<>();
            try (var all = store.all()) {
                all.forEachRemaining(kv -> states.put(kv.key, kv.value));
            }
            eos.assertStatesMatchOfflineReplay(states);
        }
    }
}
