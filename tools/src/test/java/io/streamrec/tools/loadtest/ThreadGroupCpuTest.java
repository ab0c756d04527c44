package io.streamrec.tools.loadtest;

import org.junit.jupiter.api.Test;

import static io.streamrec.tools.loadtest.ThreadGroupCpu.Group.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which group a thread's CPU is charged to, by the names Kafka, the JVM and RocksDB give their threads. */
class ThreadGroupCpuTest {
    static final String APP = "bench-1a2b3c4d";

    @Test
    void javaThreadsByName() {
        assertEquals(STREAM, ThreadGroupCpu.javaGroup(APP + "-0f9e-4c1d-StreamThread-1", APP));
        assertEquals(APP_OTHER, ThreadGroupCpu.javaGroup("kafka-producer-network-thread | " + APP + "-0f9e-StreamThread-1-producer", APP),
                "a stream thread's producer I/O is the app's, not the stream thread's");
        assertEquals(APP_OTHER, ThreadGroupCpu.javaGroup(APP + "-0f9e-GlobalStreamThread", APP));
        assertEquals(APP_OTHER, ThreadGroupCpu.javaGroup("kafka-coordinator-heartbeat-thread | " + APP, APP));
        assertEquals(LOAD, ThreadGroupCpu.javaGroup("main", APP));
        assertEquals(LOAD, ThreadGroupCpu.javaGroup("loadtest-probe", APP));
        assertEquals(LOAD, ThreadGroupCpu.javaGroup("kafka-producer-network-thread | producer-3", APP));
        assertEquals(REST, ThreadGroupCpu.javaGroup("data-plane-kafka-request-handler-0", APP));
        assertEquals(REST, ThreadGroupCpu.javaGroup("bench-other-StreamThread-1", APP), "another app's stream thread");
        assertTrue(ThreadGroupCpu.isStreamThread(APP + "-x-StreamThread-2"));
        assertTrue(!ThreadGroupCpu.isStreamThread("kafka-producer-network-thread | " + APP + "-x-StreamThread-2-producer"));
    }

    @Test
    void hiddenThreadsByTheirProcName() {
        assertEquals(ROCKSDB, ThreadGroupCpu.nativeGroup("rocksdb:low"));
        assertEquals(ROCKSDB, ThreadGroupCpu.nativeGroup("rocksdb:high"));
        assertEquals(JIT, ThreadGroupCpu.nativeGroup("C2 CompilerThre"));
        assertEquals(JIT, ThreadGroupCpu.nativeGroup("C1 CompilerThre"));
        assertEquals(GC, ThreadGroupCpu.nativeGroup("GC Thread#0"));
        assertEquals(GC, ThreadGroupCpu.nativeGroup("G1 Conc#0"));
        assertNull(ThreadGroupCpu.nativeGroup("java"), "Java threads are counted by name, not twice");
        assertNull(ThreadGroupCpu.nativeGroup("data-plane-kafk"));
    }

    @Test
    void aSnapshotChargesNothingToAnAppThatIsNotRunning() {
        ThreadGroupCpu.Snapshot s = ThreadGroupCpu.snapshot("no-such-app");
        assertEquals(0, s.nanos(STREAM));
        assertEquals(0, s.nanos(APP_OTHER));
        long process = s.process();
        assertTrue(process > 0, "the process has used CPU");
        long groups = 0;
        for (ThreadGroupCpu.Group g : ThreadGroupCpu.Group.values()) {
            assertTrue(s.nanos(g) >= 0, g.name());
            groups += s.nanos(g);
        }
        // the rest is the remainder of the process's CPU, so the groups add up to it unless /proc's ticks overshoot it
        assertTrue(groups >= process, groups + " < " + process);
    }
}
