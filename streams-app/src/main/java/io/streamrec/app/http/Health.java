package io.streamrec.app.http;

import org.apache.kafka.streams.KafkaStreams;

/**
 * The three questions a container platform asks one instance, answered from Kafka Streams' state and the instance's
 * own life cycle (the model is loaded and HTTP is up before any of them can be asked):
 * <ul>
 *   <li>{@value #STARTED}: start-up is over: Kafka Streams was started (it left {@code CREATED}). Restoring state
 *       is not part of start-up, so a long restore cannot exhaust a start-up probe's budget.</li>
 *   <li>{@value #READY}: send it traffic: Kafka Streams is {@code RUNNING} or {@code REBALANCING} and the instance
 *       is not closing. A rebalance keeps every instance ready; a request for a user whose partition cannot be
 *       queried at that moment gets its own 503 (RecommendationLookup).</li>
 *   <li>{@value #LIVE}: do not restart it: the process answers and Kafka Streams is not in {@code ERROR}, its one
 *       terminal failure state (every stream thread died). A restore, a rebalance or an unreachable Kafka keep it
 *       live: a restart would only begin them again.</li>
 * </ul>
 * {@code /health} stays as before, the readiness answer.
 */
public final class Health {
    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";
    public static final String STARTED = "/health/started";
    /** The older single endpoint: answers like {@link #READY}. */
    public static final String LEGACY = "/health";

    private final KafkaStreams streams;
    private volatile boolean closing;

    public Health(KafkaStreams streams) {
        this.streams = streams;
    }

    /** From now on not ready: the instance is shutting down (Services stop sending it requests). */
    public void markClosing() {
        closing = true;
    }

    public Answer live() {
        return answer(isLive(streams.state()));
    }

    public Answer ready() {
        return answer(isReady(streams.state(), closing));
    }

    public Answer started() {
        return answer(isStarted(streams.state()));
    }

    private Answer answer(boolean up) {
        return new Answer(up, streams.state().name(), closing);
    }

    static boolean isLive(KafkaStreams.State state) {
        return state != KafkaStreams.State.ERROR;
    }

    static boolean isReady(KafkaStreams.State state, boolean closing) {
        return !closing && (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING);
    }

    static boolean isStarted(KafkaStreams.State state) {
        return state != KafkaStreams.State.CREATED;
    }

    /** One probe's answer: HTTP 200 when {@code up}, else 503, with Kafka Streams' state for people reading it. */
    public record Answer(boolean up, String streams, boolean closing) {
        public int httpStatus() {
            return up ? 200 : 503;
        }

        public String status() {
            return up ? "UP" : "DOWN";
        }
    }
}
