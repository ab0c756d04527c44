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
}
