package io.streamrec.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamrec.app.config.AppConfig;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class TransactionalStoresDefaultTest {

    @Test
    void transactionalStateStoresAreOnUnlessSet() {
        AppConfig defaults = AppConfig.of(Map.of());
        assertEquals("true", defaults.streamsProperties().getProperty(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG));
        assertTrue(defaults.transactionalStateStores());
        AppConfig kafkasDefault = AppConfig.of(Map.of(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "false"));
        assertFalse(kafkasDefault.transactionalStateStores());
        assertEquals("false", kafkasDefault.streamsProperties().getProperty(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG));
    }

    @Test
    void aCrashedInstanceAloneInItsGroupHasNobodyToHandItsTasksTo() {
        assertFalse(CrashedMemberEviction.othersIn(java.util.List.of("host-abc-1", "host-abc-2"), "host-abc"));
        assertTrue(CrashedMemberEviction.othersIn(java.util.List.of("host-abc-1", "other-1"), "host-abc"));
        assertTrue(CrashedMemberEviction.othersIn(java.util.Arrays.asList("host-abc-1", null), "host-abc"), "a dynamic member");
        assertTrue(CrashedMemberEviction.othersIn(java.util.List.of("host-abc-12-1"), "host-abc-1"), "not a prefix match of another id");
    }
}
