package io.streamrec.tools.chaos;

import io.streamrec.avro.Movie;
import io.streamrec.avro.RatingEvent;
import io.streamrec.avro.WatchEvent;
import io.streamrec.schemas.AvroSerde;
import io.streamrec.schemas.DlqReasons;
import io.streamrec.schemas.Keys;
import io.streamrec.schemas.RecordSerdes;
import io.streamrec.schemas.SchemaHistory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Bad records for the chaos suite, each one certain to be refused, with the dead-letter reason the app must give
 * it: bit flips in the single-object header, truncations, random and other-type fingerprints, huge strings, random
 * and non-canonical keys, null keys, NaN / infinite / negative fields, tombstones, future event times, keys that
 * differ from the value, and exact repeats of a valid event (its {@code eventId}). Deterministic for a seed.
 * Bit flips are kept to the 10 header bytes and numbers to values the rules refuse, because a flip inside the body
 * may well leave a valid event, which would then be learned.
 */
final class Fuzzer {
    /** One bad record: topic choice, key, value, and the reason the app must dead-letter it with. */
    record Bad(boolean watchTopic, byte[] key, byte[] value, String reason, String kind) {}

    private static final AvroSerde<RatingEvent> RATINGS = RecordSerdes.ratingEvent();
    private static final AvroSerde<WatchEvent> WATCHES = RecordSerdes.watchEvent();
    static final int KINDS = 16;

    private final SplittableRandom rnd;
    private final long now;

    Fuzzer(long seed, long now) {
        this.rnd = new SplittableRandom(seed);
        this.now = now;
    }

    /** A bad record near a valid event of {@code user} on {@code movie} at {@code time}; kind 15 (a repeat) needs the valid bytes. */
    Bad next(long user, int movie, long time, byte[] validValue, boolean validIsWatch) {
        int kind = rnd.nextInt(KINDS);
        byte[] key = Keys.userKey(user);
        byte[] good = RATINGS.serialize(null, new RatingEvent(user, movie, 3.5f, time, null));
        switch (kind) {
            case 0: { // one bit flipped in the marker
                byte[] v = good.clone();
                v[rnd.nextInt(2)] ^= (byte) (1 << rnd.nextInt(8));
                return new Bad(false, key, v, DlqReasons.DESERIALIZATION, "bit-flip-marker");
            }
            case 1: { // one bit flipped in the fingerprint: no longer a RatingEvent version
                byte[] v;
                do {
                    v = good.clone();
                    v[2 + rnd.nextInt(8)] ^= (byte) (1 << rnd.nextInt(8));
                } while (isRatingFingerprint(v));
                return new Bad(false, key, v, DlqReasons.UNKNOWN_SCHEMA, "bit-flip-fingerprint");
            }
            case 2: // cut short
                return new Bad(false, key, Arrays.copyOf(good, rnd.nextInt(good.length)), DlqReasons.DESERIALIZATION, "truncated");
            case 3: { // a random fingerprint
                byte[] v;
                do {
                    v = good.clone();
                    for (int i = 2; i < 10; i++) v[i] = (byte) rnd.nextInt(256);
                } while (isRatingFingerprint(v));
                return new Bad(false, key, v, DlqReasons.UNKNOWN_SCHEMA, "random-fingerprint");
            }
            case 4: // a record of another type
                return new Bad(false, key, RecordSerdes.movie().serialize(null, new Movie(movie, "x", List.of(), null)),
                        DlqReasons.UNKNOWN_SCHEMA, "other-type");
            case 5: // a huge eventId
                return new Bad(false, key, RATINGS.serialize(null, new RatingEvent(user, movie, 4f, time,
                        "e".repeat(1000 + rnd.nextInt(50_000)))), DlqReasons.BAD_ID, "huge-event-id");
            case 6: { // a huge body that is no record: an endless varint
                byte[] v = Arrays.copyOf(good, 10 + 20_000 + rnd.nextInt(100_000));
                Arrays.fill(v, 10, v.length, (byte) 0xff);
                return new Bad(false, key, v, DlqReasons.DESERIALIZATION, "huge-garbage");
            }
            case 7: { // random key bytes (never a canonical id: starts with a letter)
                byte[] k = new byte[1 + rnd.nextInt(40)];
                for (int i = 0; i < k.length; i++) k[i] = (byte) rnd.nextInt(256);
                k[0] = 'x';
                return new Bad(false, k, good, DlqReasons.KEY_MISMATCH, "random-key");
            }
            case 8: // a non-canonical key for the right user
                return new Bad(false, ("00" + user).getBytes(StandardCharsets.US_ASCII), good, DlqReasons.KEY_MISMATCH,
                        "non-canonical-key");
            case 9:
                return new Bad(false, null, good, DlqReasons.NULL_KEY, "null-key");
            case 10: { // NaN, infinite, negative, out-of-scale ratings
                float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -1f, 0f, 0.49f, 5.01f, 1e30f};
                return new Bad(false, key, RATINGS.serialize(null, new RatingEvent(user, movie, bad[rnd.nextInt(bad.length)],
                        time, null)), DlqReasons.RATING_OUT_OF_RANGE, "bad-rating");
            }
            case 11: { // negative seconds, or a length that is not positive
                boolean seconds = rnd.nextBoolean();
                WatchEvent w = new WatchEvent(user, movie, seconds ? -1 - rnd.nextInt(10_000) : 100,
                        seconds ? 6000 : -rnd.nextInt(1000), time, null);
                return new Bad(true, key, WATCHES.serialize(null, w), DlqReasons.WATCH_OUT_OF_RANGE, "bad-watch");
            }
            case 12: { // negative ids in the value
                boolean userSide = rnd.nextBoolean();
                RatingEvent r = new RatingEvent(userSide ? -1 - user : user, userSide ? movie : -1 - movie, 4f, time, null);
                return new Bad(false, key, RATINGS.serialize(null, r), DlqReasons.BAD_ID, "negative-id");
            }
            case 13:
                return new Bad(rnd.nextBoolean(), key, null, DlqReasons.DESERIALIZATION, "tombstone");
            case 14: // far ahead of the app's clock
                return new Bad(false, key, RATINGS.serialize(null, new RatingEvent(user, movie, 4f,
                        now + 30L * 86_400_000L + rnd.nextInt(1_000_000), null)), DlqReasons.FUTURE_TIMESTAMP, "future-time");
            default: // 15: the valid event again, byte for byte (a producer's retry)
                return new Bad(validIsWatch, key, validValue, DlqReasons.DUPLICATE_EVENT, "repeat");
        }
    }

    private static boolean isRatingFingerprint(byte[] v) {
        long fp = 0;
        for (int i = 7; i >= 0; i--) fp = (fp << 8) | (v[2 + i] & 0xffL);
        for (var s : SchemaHistory.writerSchemas(RatingEvent.getClassSchema())) {
            if (SchemaHistory.fingerprint(s) == fp) return true;
        }
        return false;
    }
}
