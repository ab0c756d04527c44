package io.streamrec.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

/** Which Kafka Streams states each probe accepts: the table docs/operations.md ("Probes") describes. */
class HealthTest {
    private static Set<State> where(java.util.function.Predicate<State> p) {
        Set<State> s = EnumSet.noneOf(State.class);
        for (State st : State.values()) if (p.test(st)) s.add(st);
        return s;
    }

    @Test
    void liveUnlessKafkaStreamsFailedForGood() {
        assertEquals(EnumSet.complementOf(EnumSet.of(State.ERROR)), where(Health::isLive),
                "a restore, a rebalance or a shutdown must not get the pod restarted");
    }

    @Test
    void readyWhileRunningOrRebalancingAndNotClosing() {
        assertEquals(EnumSet.of(State.RUNNING, State.REBALANCING), where(s -> Health.isReady(s, false)),
                "a rebalance must not take every pod out of the Service at once");
        assertEquals(EnumSet.noneOf(State.class), where(s -> Health.isReady(s, true)), "closing: never ready");
    }

    @Test
    void startedOnceKafkaStreamsWasStarted() {
        assertEquals(EnumSet.complementOf(EnumSet.of(State.CREATED)), where(Health::isStarted),
                "restoring is not start-up: a long restore must not exhaust the start-up probe");
    }
}
