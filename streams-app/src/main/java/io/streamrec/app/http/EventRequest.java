package io.streamrec.app.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrec.core.events.EventRules;
import io.streamrec.core.events.RatingScale;
import io.streamrec.schemas.EventRecords;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.Iterator;
import java.util.List;

/**
 * The body of {@code POST /events}, checked field by field with the topology's rules, so a bad event is refused with
 * a 400 naming the field instead of travelling to the dead-letter topic:
 * <pre>
 * {"userId": 7, "movieId": 318, "rating": 4.5}                       a rating: any number in [0.5, 5]
 * {"userId": 7, "movieId": 318, "secondsWatched": 5400,
 *  "movieLengthSeconds": 8520}                                        a watch (movieLengthSeconds optional)
 * </pre>
 * {@code "type"} ({@code "rating"} or {@code "watch"}) may be given and must then match; {@code eventTime}
 * (ms since the epoch) defaults to now.
 */
public record EventRequest(boolean isRating, long userId, int movieId, float rating, int secondsWatched,
                           Integer movieLengthSeconds, long eventTime) {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> FIELDS = List.of("type", "userId", "movieId", "rating", "secondsWatched",
            "movieLengthSeconds", "eventTime");

    /**
     * Parses and validates a request body.
     *
     * @param maxFutureSkewMs how far ahead of {@code now} an event time may be (the app's {@code max.future.skew.ms})
     * @throws ApiError 400 with a message naming the field
     */
    public static EventRequest parse(String body, long now, long maxFutureSkewMs) {
        JsonNode root;
        try {
            root = JSON.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest(malformed(e));
        }
        if (root == null || root.isMissingNode()) throw ApiError.badRequest("body: empty; expected a JSON object with userId, movieId and rating or secondsWatched");
        if (!root.isObject()) throw ApiError.badRequest("body: must be a JSON object, was " + root.getNodeType().toString().toLowerCase());
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) throw ApiError.badRequest(name + ": unknown field; known fields: " + String.join(", ", FIELDS));
        }
        long userId = integer(root, "userId", Long.MIN_VALUE, Long.MAX_VALUE);
        int movieId = (int) integer(root, "movieId", Integer.MIN_VALUE, Integer.MAX_VALUE);
        refuse(EventRules.checkUserId(userId));
        refuse(EventRules.checkMovieId(movieId));
        boolean hasRating = present(root, "rating"), hasWatch = present(root, "secondsWatched");
        String type = root.has("type") ? text(root, "type") : hasRating ? "rating" : "watch";
        if (!type.equals("rating") && !type.equals("watch")) throw ApiError.badRequest("type: must be \"rating\" or \"watch\", was \"" + type + "\"");
        if (!root.has("type") && !hasRating && !hasWatch) {
            throw ApiError.badRequest("rating, secondsWatched: one is required (a rating, or a watch)");
        }
        if (hasRating && hasWatch) throw ApiError.badRequest("rating, secondsWatched: give one (a rating or a watch), not both");
        if (type.equals("rating") && !hasRating) throw ApiError.badRequest("rating: required for a rating (or give secondsWatched for a watch)");
        if (type.equals("watch") && !hasWatch) throw ApiError.badRequest("secondsWatched: required for a watch");
        long eventTime = present(root, "eventTime") ? integer(root, "eventTime", 0, Long.MAX_VALUE) : now;
        refuse(EventRules.checkEventTime(eventTime, now, maxFutureSkewMs));
        if (type.equals("rating")) {
            JsonNode r = root.get("rating");
            if (!r.isNumber()) throw ApiError.badRequest("rating: must be a number in " + RatingScale.range() + ", was " + r);
            float rating = r.floatValue();
            refuse(EventRules.checkRating(rating));
            return new EventRequest(true, userId, movieId, rating, 0, null, eventTime);
        }
        int seconds = (int) integer(root, "secondsWatched", Integer.MIN_VALUE, Integer.MAX_VALUE);
        refuse(EventRules.checkSecondsWatched(seconds));
        Integer length = present(root, "movieLengthSeconds") ? (int) integer(root, "movieLengthSeconds", Integer.MIN_VALUE, Integer.MAX_VALUE) : null;
        refuse(EventRules.checkMovieLength(length));
        return new EventRequest(false, userId, movieId, Float.NaN, seconds, length, eventTime);
    }

    /** A 400 naming the field, when the shared event rules refuse a value. */
    private static void refuse(String problem) {
        if (problem != null) throw ApiError.badRequest(problem);
    }

    /** The Kafka record: Avro single-object encoding, keyed by user id; the timestamp is left to the producer (send time). */
    public ProducerRecord<byte[], byte[]> toRecord(String ratingsTopic, String watchesTopic) {
        return isRating ? EventRecords.rating(ratingsTopic, userId, movieId, rating, eventTime)
                : EventRecords.watch(watchesTopic, userId, movieId, secondsWatched, movieLengthSeconds, eventTime);
    }

    private static boolean present(JsonNode root, String field) {
        return root.has(field) && !root.get(field).isNull();
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (!n.isTextual()) throw ApiError.badRequest(field + ": must be a string, was " + n);
        return n.asText();
    }

    private static long integer(JsonNode root, String field, long min, long max) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) throw ApiError.badRequest(field + ": required");
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw ApiError.badRequest(field + ": must be an integer from " + min + " to " + max + ", was " + n);
        }
        long v = n.asLong();
        if (v < min || v > max) throw ApiError.badRequest(field + ": must be from " + min + " to " + max + ", was " + v);
        return v;
    }

    /** "body: malformed JSON at line 1, column 30 (in field "rating"): Unexpected character ..." */
    private static String malformed(JsonProcessingException e) {
        StringBuilder sb = new StringBuilder("body: malformed JSON");
        if (e.getLocation() != null) {
            sb.append(" at line ").append(e.getLocation().getLineNr()).append(", column ").append(e.getLocation().getColumnNr());
        }
        if (e instanceof JsonParseException p && p.getProcessor() != null) {
            String field = p.getProcessor().getParsingContext().getCurrentName();
            if (field != null) sb.append(" (in field \"").append(field).append("\")");
        }
        return sb.append(": ").append(e.getOriginalMessage()).toString();
    }
}
