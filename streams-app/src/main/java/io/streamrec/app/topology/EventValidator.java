package io.streamrec.app.topology;

import io.streamrec.core.events.EventRules;
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

    private final int dlqMaxRecordBytes;

    EventValidator(Kind kind, long maxFutureSkewMs, DlqMetrics dlqMetrics, int dlqMaxRecordBytes) {
        this.kind = kind;
        this.dlqMaxRecordBytes = dlqMaxRecordBytes;
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
                event = fromRating(r, record);
            } else {
                WatchEvent w = watches.deserialize(null, record.value());
                problem = w == null ? null : checkWatch(w);
                event = problem == null ? fromWatch(w, record) : null;
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
        if ((p = EventRules.checkEventId(e.eventId())) != null) return new Rejection(DlqReasons.BAD_ID, p);
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

    private static ValidatedEvent fromRating(RatingEvent r, Record<byte[], byte[]> raw) {
        return r == null ? null : new ValidatedEvent(r.getUserId(), r.getMovieId(), r.getRating(), Float.NaN,
                r.getEventTime(), r.getEventId(), raw.key(), raw.value());
    }

    private static ValidatedEvent fromWatch(WatchEvent w, Record<byte[], byte[]> raw) {
        if (w == null) return null;
        return new ValidatedEvent(w.getUserId(), w.getMovieId(), Float.NaN,
                EventRules.completion(w.getSecondsWatched(), w.getMovieLengthSeconds()), w.getEventTime(),
                w.getEventId(), raw.key(), raw.value());
    }

    private void reject(Record<byte[], byte[]> record, String reason, String detail) {
        DeadLetterForwarding.forward(context, dlqMetrics, dlqMaxRecordBytes, record.key(), record.value(), record.timestamp(),
                record.headers(), reason, detail);
    }
}
