package io.streamrec.app.topology;

import io.streamrec.core.events.EventRules;
import io.streamrec.app.dlq.DeadLetters;
import io.streamrec.app.dlq.DlqMetrics;
import io.streamrec.avro.RatingEvent;
import io.streamrec.avro.WatchEvent;
import io.streamrec.schemas.AvroSerde;
import io.streamrec.schemas.DlqReasons;
import io.streamrec.schemas.Keys;
import io.streamrec.schemas.RecordSerdes;
import io.streamrec.schemas.WireFormatException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Turns raw bytes from `ratings` or `watches` into {@link ValidatedEvent}s keyed by user id, or
 * sends the original bytes to the dead-letter topic with the reason in headers. Decoding here,
 * not in a source deserializer, means every rejection goes out through the task's own
 * (transactional) producer: under exactly-once a poison record is dead-lettered exactly once.
 */
final class EventValidator implements Processor<byte[], byte[], Object, Object> {
    enum Kind { RATING, WATCH }

    private final Kind kind;
    private final long maxFutureSkewMs;
    private final DlqMetrics dlqMetrics;
    private final AvroSerde<RatingEvent> ratings = RecordSerdes.ratingEvent();
    private final AvroSerde<WatchEvent> watches = RecordSerdes.watchEvent();
    private ProcessorContext<Object, Object> context;

    EventValidator(Kind kind, long maxFutureSkewMs, DlqMetrics dlqMetrics) {
        this.kind = kind;
        this.maxFutureSkewMs = maxFutureSkewMs;
        this.dlqMetrics = dlqMetrics;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.key() == null) {
            reject(record, DlqReasons.NULL_KEY, "key: missing (null) user id");
            return;
        }
        long keyUser;
        try {
            keyUser = Keys.parseUserId(record.key());
        } catch (IllegalArgumentException e) {
            reject(record, DlqReasons.KEY_MISMATCH, e.getMessage());
            return;
        }
        ValidatedEvent event;
        Rejection problem;
        try {
            if (kind == Kind.RATING) {
                RatingEvent r = ratings.deserialize(null, record.value());
                problem = r == null ? null : checkRating(r);
                event = fromRating(r);
            } else {
                WatchEvent w = watches.deserialize(null, record.value());
                problem = w == null ? null : checkWatch(w);
                event = problem == null ? fromWatch(w) : null;
            }
        } catch (WireFormatException e) {
            reject(record, e.dlqReason(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            reject(record, DlqReasons.DESERIALIZATION, String.valueOf(e.getMessage()));
            return;
        }
        if (event == null && problem == null) {
            reject(record, DlqReasons.DESERIALIZATION, "value: missing (null)");
            return;
        }
        if (problem == null) problem = check(event, keyUser);
        if (problem != null) {
            reject(record, problem.reason(), problem.detail());
            return;
        }
        context.forward(new Record<Object, Object>(event.userId(), event, record.timestamp(), record.headers()), EventTopology.USER_PROCESSOR);
    }

    /** Why a decoded event is refused: a dead-letter reason code and a detail naming the field. */
    private record Rejection(String reason, String detail) {}

    /** Null when valid. */
    private Rejection check(ValidatedEvent e, long keyUser) {
        String p;
        if ((p = EventRules.checkUserId(e.userId())) != null) return new Rejection(DlqReasons.BAD_ID, p);
        if ((p = EventRules.checkMovieId(e.movieId())) != null) return new Rejection(DlqReasons.BAD_ID, p);
        if (e.userId() != keyUser) return new Rejection(DlqReasons.KEY_MISMATCH, "userId " + e.userId() + " does not match key " + keyUser);
        if ((p = EventRules.checkEventTime(e.eventTime(), context.currentSystemTimeMs(), maxFutureSkewMs)) != null) {
            return new Rejection(DlqReasons.FUTURE_TIMESTAMP, p);
        }
        return null;
    }

    /** The rating itself, checked on the decoded record: inside ValidatedEvent a NaN rating would mean a watch. */
    private static Rejection checkRating(RatingEvent r) {
        String p = EventRules.checkRating(r.getRating());
        return p == null ? null : new Rejection(DlqReasons.RATING_OUT_OF_RANGE, p);
    }

    private static Rejection checkWatch(WatchEvent w) {
        String p = EventRules.checkSecondsWatched(w.getSecondsWatched());
        if (p == null) p = EventRules.checkMovieLength(w.getMovieLengthSeconds());
        return p == null ? null : new Rejection(DlqReasons.WATCH_OUT_OF_RANGE, p);
    }

    private static ValidatedEvent fromRating(RatingEvent r) {
        return r == null ? null : new ValidatedEvent(r.getUserId(), r.getMovieId(), r.getRating(), Float.NaN, r.getEventTime());
    }

    private static ValidatedEvent fromWatch(WatchEvent w) {
        if (w == null) return null;
        return new ValidatedEvent(w.getUserId(), w.getMovieId(), Float.NaN,
                EventRules.completion(w.getSecondsWatched(), w.getMovieLengthSeconds()), w.getEventTime());
    }

    private void reject(Record<byte[], byte[]> record, String reason, String detail) {
        // always present here: this processor only ever runs on records read from a source topic
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        var headers = DeadLetters.headers(meta.topic(), meta.partition(), meta.offset(), record.timestamp(), reason, detail);
        for (var h : record.headers()) headers.add(h);
        dlqMetrics.increment(reason);
        // stamped now: a future-timestamp record would be refused by the broker (max 1 h ahead);
        // the original timestamp travels in the dlq.timestamp header
        context.forward(new Record<Object, Object>(record.key(), record.value(), context.currentSystemTimeMs(), headers), EventTopology.DLQ_SINK);
    }
}
