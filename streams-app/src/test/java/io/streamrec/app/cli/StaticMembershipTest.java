package io.streamrec.app.cli;

import io.streamrec.app.config.AppConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class StaticMembershipTest {

    @Test
    void theIdIsStablePerHostStateDirectoryAndApplication() {
        String a = StaticMembership.instanceId("node-1", Path.of("/var/lib/streamrec/state"), "streamrec");
        assertEquals(a, StaticMembership.instanceId("node-1", Path.of("/var/lib/streamrec/../streamrec/state"), "streamrec"));
        assertTrue(a.matches("node-1-[0-9a-f]{12}"), a);
        assertNotEquals(a, StaticMembership.instanceId("node-1", Path.of("/var/lib/streamrec/state2"), "streamrec"));
        assertNotEquals(a, StaticMembership.instanceId("node-2", Path.of("/var/lib/streamrec/state"), "streamrec"));
        assertNotEquals(a, StaticMembership.instanceId("node-1", Path.of("/var/lib/streamrec/state"), "other"));
        assertTrue(StaticMembership.instanceId("a b/c", Path.of("/s"), "x").startsWith("a_b_c-"));
    }

    @Test
    void runGetsADerivedIdUnlessOneIsConfigured() {
        AppConfig derived = StaticMembership.apply(AppConfig.of(Map.of("state.dir", "/tmp/x")));
        assertNotNull(derived.passthrough().get("group.instance.id"));
        assertEquals("/tmp/x", derived.stateDir().toString(), "the rest is unchanged");
        AppConfig explicit = StaticMembership.apply(AppConfig.of(Map.of("group.instance.id", "pod-0")));
        assertEquals("pod-0", explicit.passthrough().get("group.instance.id"));
        AppConfig prefixed = StaticMembership.apply(AppConfig.of(Map.of("main.consumer.group.instance.id", "pod-1")));
        assertNull(prefixed.passthrough().get("group.instance.id"));
    }
}
