package io.streamrec.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamrec.app.config.AppConfig;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class CrashedMemberEvictionTest {

    @Test
    void transactionalStateStoresAreOnUnlessSetAndThenACrashedMemberTakesItsTasksBack() {
        AppConfig defaults = AppConfig.of(Map.of());
        assertEquals("true", defaults.streamsProperties().getProperty(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG));
        assertTrue(defaults.transactionalStateStores());
        assertFalse(CrashedMemberEviction.evicts(defaults), "the stores survive a crash: nothing to hand over");
    }

    @Test
    void withKafkasDefaultStoresUnderExactlyOnceTheCrashedMembersAreEvicted() {
        AppConfig wiped = AppConfig.of(Map.of(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "false"));
        assertFalse(wiped.transactionalStateStores());
        assertTrue(CrashedMemberEviction.evicts(wiped), "a crash wipes the stores: the standbys take over instead");
        AppConfig atLeastOnce = AppConfig.of(Map.of(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "false",
                "processing.guarantee", "at_least_once"));
        assertFalse(CrashedMemberEviction.evicts(atLeastOnce), "no wipe without exactly-once");
    }
}
