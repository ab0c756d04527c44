package io.streamrec.app.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamrec.core.model.Float16;
import io.streamrec.core.model.UserState;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class UserStateSerdeTest {

    private final UserStateSerde serde = new UserStateSerde();

    private UserState roundTrip(UserState s) {
        byte[] bytes = serde.serializer().serialize("store-changelog", s);
        assertEquals(UserStateSerde.serializedSize(s), bytes.length);
        return serde.deserializer().deserialize("store-changelog", bytes);
    }

    /** The state as versions 5 and 6 store it: its vectors rounded to half floats, everything else exact. */
    private static void assertSameStoredState(UserState expected, UserState actual) {
        assertArrayEquals(halves(expected.ratingVector()), actual.ratingVector());
        assertArrayEquals(halves(expected.retrievalVector()), actual.retrievalVector());
        assertSameExceptVectors(expected, actual);
    }

    private static float[] halves(float[] v) {
        float[] r = v.clone();
        Float16.roundInPlace(r);
        return r;
    }

    /** Exactly the same state, vectors included (what versions 1 to 4 read, and a second round trip of version 5). */
    private static void assertSameState(UserState expected, UserState actual) {
        assertArrayEquals(expected.ratingVector(), actual.ratingVector());
        assertArrayEquals(expected.retrievalVector(), actual.retrievalVector());
        assertSameExceptVectors(expected, actual);
    }

    private static void assertSameExceptVectors(UserState expected, UserState actual) {
        assertEquals(expected.ratingDim(), actual.ratingDim());
        assertEquals(expected.retrievalDim(), actual.retrievalDim());
        assertEquals(expected.ratingBias(), actual.ratingBias());
        assertEquals(expected.eventCount(), actual.eventCount());
        assertEquals(expected.ratingCount(), actual.ratingCount());
        assertEquals(expected.ratingSum(), actual.ratingSum());
        assertEquals(expected.lastEventTime(), actual.lastEventTime());
        assertEquals(expected.seenCapacity(), actual.seenCapacity());
        assertArrayEquals(expected.seenOldestFirst(), actual.seenOldestFirst());
        assertArrayEquals(expected.eventIdsOldestFirst(), actual.eventIdsOldestFirst());
        assertEquals(expected.modelVersion(), actual.modelVersion());
        assertArrayEquals(expected.historyMovies(), actual.historyMovies());
        assertArrayEquals(expected.historyRatings(), actual.historyRatings());
        assertArrayEquals(expected.historyCompletions(), actual.historyCompletions());
        assertEquals(expected.lastListSize(), actual.lastListSize());
        for (int r = 0; r < expected.lastListSize(); r++) assertEquals(expected.lastListMovie(r), actual.lastListMovie(r));
        assertEquals(expected.hasServableList(), actual.hasServableList());
        if (!expected.hasServableList()) return;
        for (int r = 0; r < expected.lastListSize(); r++) assertEquals(expected.lastListScore(r), actual.lastListScore(r));
        assertEquals(expected.lastListModelVersion(), actual.lastListModelVersion());
        assertEquals(expected.lastListGeneratedAt(), actual.lastListGeneratedAt());
        assertEquals(expected.lastListEventCount(), actual.lastListEventCount());
    }

    private static UserState sample(int dim, int capacity, int... seen) {
        UserState s = new UserState(dim, capacity);
        for (int i = 0; i < dim; i++) {
            s.ratingVector()[i] = 0.5f - i * 0.25f;
            s.retrievalVector()[i] = (float) Math.sqrt(i + 1) * (i % 2 == 0 ? 1 : -1);
        }
        s.ratingBias(-0.375f);
        s.countEvent(4.5f, 1_700_000_000_000L);
        s.countEvent(Float.NaN, 1_700_000_360_000L);
        s.countEvent(3.0f, 1_700_000_100_000L);
        for (int id : seen) {
            s.addSeen(id);
        }
        return s;
    }

    @Test
    void roundTripWithAnEmptySeenRing() {
        UserState s = sample(32, 100);
        UserState back = roundTrip(s);
        assertSameStoredState(s, back);
        assertEquals(0, back.seenSize());
        assertEquals(3, back.eventCount());
        assertEquals(2, back.ratingCount());
        assertEquals(7.5, back.ratingSum());
        assertEquals(1_700_000_360_000L, back.lastEventTime());
    }

    @Test
    void roundTripWithAFullRingThatHasWrappedKeepsOldestFirstOrder() {
        UserState s = sample(4, 5, 10, 20, 30, 40, 50, 60, 70); // 10 and 20 forgotten; the ring has wrapped
        assertArrayEquals(new int[] {30, 40, 50, 60, 70}, s.seenOldestFirst());
        UserState back = roundTrip(s);
        assertSameStoredState(s, back);
        assertArrayEquals(new int[] {30, 40, 50, 60, 70}, back.seenOldestFirst());

        // and it keeps behaving as the same ring: the next id evicts the oldest
        back.addSeen(80);
        s.addSeen(80);
        assertArrayEquals(new int[] {40, 50, 60, 70, 80}, back.seenOldestFirst());
        assertArrayEquals(s.seenOldestFirst(), back.seenOldestFirst());
    }

    @Test
    void roundTripOfSpecialValues() {
        UserState s = new UserState(3, 2);
        s.ratingVector()[0] = Float.NaN;
        s.ratingVector()[1] = Float.NEGATIVE_INFINITY;
        s.ratingVector()[2] = -0.0f;
        s.retrievalVector()[2] = Float.MIN_VALUE;
        s.addSeen(Integer.MAX_VALUE);
        UserState back = roundTrip(s);
        assertSameStoredState(s, back);
        assertTrue(Float.isNaN(back.ratingVector()[0]));
        assertEquals(Float.NEGATIVE_INFINITY, back.ratingVector()[1]);
        assertEquals(Float.floatToIntBits(-0.0f), Float.floatToIntBits(back.ratingVector()[2]));
        assertEquals(0f, back.retrievalVector()[2], "below half the smallest half subnormal: zero");
    }

    @Test
    void halfPrecisionIsStableAndMatchesTheProtocolsRounding() {
        UserState s = sample(64, 10, 1, 2);
        s.retrievalVector()[3] = 1e6f; // beyond the half range: saturates, stays a number
        UserState once = roundTrip(s);
        assertEquals(Float16.MAX, once.retrievalVector()[3]);
        assertSameState(once, roundTrip(once)); // a second write changes nothing
        UserState rounded = roundTrip(s);
        s.roundVectorsToStored(); // what ServingReplay applies where the app writes the state
        assertSameState(s, rounded);
        for (int i = 0; i < 64; i++) {
            float v = (float) Math.sqrt(i + 1) * (i % 2 == 0 ? 1 : -1);
            if (i != 3) assertEquals(v, once.retrievalVector()[i], Math.abs(v) * 0x1.0p-11f, "relative error at most 2^-11");
        }
    }

    @Test
    void ratingAndRetrievalDimensionsDiffer() {
        UserState s = new UserState(5, 2, 4);
        for (int i = 0; i < 5; i++) s.ratingVector()[i] = i + 0.5f;
        s.retrievalVector()[1] = -3f;
        s.addSeen(9);
        UserState back = roundTrip(s);
        assertSameStoredState(s, back);
        assertEquals(5, back.ratingDim());
        assertEquals(2, back.retrievalDim());
    }

    @Test
    void zeroDimension() {
        UserState s = new UserState(0, 0);
        assertSameState(s, roundTrip(s));
    }

    @Test
    void exactBytes() {
        UserState s = new UserState(1, 3);
        s.ratingVector()[0] = 1.0f;
        s.retrievalVector()[0] = -2.0f;
        s.ratingBias(0.5f);
        s.countEvent(4.0f, 1000L);
        s.addSeen(7);
        s.addSeen(258);
        byte[] bytes = serde.serialize("t", s);
        assertEquals(UserStateSerde.FIXED_BYTES + 4 * 1 + 4 * 2, bytes.length);
        assertEquals(85, bytes.length);
        String expected = "06" // version
                + "00000001" // rating dim
                + "3c00" // rating vector [1.0] as a half
                + "3f000000" // rating bias 0.5
                + "00000001" // retrieval dim
                + "c000" // retrieval vector [-2.0] as a half
                + TAIL
                + "00000000" // no event ids remembered
                + "00000000" // model version "" (unknown)
                + "00000000" // no events remembered
                + "00000000" // no list sent yet
                + "ffffffff"; // (so without scores)
        assertEquals(expected, HexFormat.of().formatHex(bytes));
    }

    /** A list kept whole (what the query API serves): ids, model version, scores, when it was made, from which count. */
    @Test
    void aServableLastListRoundTripsWithItsBytes() {
        UserState s = sample(3, 10, 5, 6);
        s.modelVersion("m2");
        s.lastList(new int[] {9, 8, 7, 99}, new float[] {2.5f, 1f, -0.5f, 123f}, 3, 0x0102030405L);
        assertTrue(s.hasServableList());
        assertEquals("m2", s.lastListModelVersion());
        assertEquals(s.eventCount(), s.lastListEventCount());
        UserState back = roundTrip(s);
        assertSameStoredState(s, back);
        assertEquals(-0.5f, back.lastListScore(2));
        String hex = HexFormat.of().formatHex(serde.serialize("t", s));
        assertTrue(hex.endsWith("00000003" + "00000009" + "00000008" + "00000007" // ids
                + "00000002" + "6d32" // "m2"
                + "40200000" + "3f800000" + "bf000000" // scores 2.5, 1, -0.5
                + "0000000102030405" // generated at
                + "0000000000000003"), hex); // from the 3 events sample() counted
        // a longer list than the 10 ids live HR reads, as recommend.k allows
        int[] ids = new int[300];
        float[] scores = new float[300];
        for (int r = 0; r < ids.length; r++) {
            ids[r] = 1000 + r;
            scores[r] = -r;
        }
        s.lastList(ids, scores, 300, 5L);
        UserState longer = roundTrip(s);
        assertSameStoredState(s, longer);
        assertTrue(longer.inLastList(1009));
        assertTrue(!longer.inLastList(1010), "live HR looks at the first 10");
        // the ids-only form again (what a version-5 state holds) drops the stamps
        s.lastList(new int[] {4}, 1);
        assertTrue(!roundTrip(s).hasServableList());
    }

    /** Bytes exactly as the version-5 serializer wrote {@link #exactBytes()}'s state with a last list of ids: still read. */
    @Test
    void version5StoresAreStillReadWithAListOfIdsOnly() {
        byte[] v5 = HexFormat.of().parseHex("05" + "00000001" + "3c00" + "3f000000" + "00000001" + "c000" + TAIL
                + "00000000" + "00000002" + "7631" + "00000000"
                + "00000002" + "00000009" + "00000008"); // last list [9, 8]
        UserState s = serde.deserialize("t", v5);
        assertArrayEquals(new float[] {1f}, s.ratingVector());
        assertEquals("v1", s.modelVersion());
        assertEquals(2, s.lastListSize());
        assertTrue(s.inLastList(9));
        assertTrue(!s.hasServableList(), "no scores: the query API reads the old list store for it");
        byte[] v6 = serde.serialize("t", s);
        assertEquals(6, v6[0]);
        assertEquals(v5.length + 4, v6.length, "the list's version length -1 added");
        assertSameState(s, serde.deserialize("t", v6));
        byte[] v5Longer = Arrays.copyOf(v5, v5.length + 4);
        assertThrows(SerializationException.class, () -> serde.deserialize("t", v5Longer));
    }

    @Test
    void modelVersionHistoryAndLastListRoundTrip() {
        UserState s = sample(3, 10, 5, 6);
        s.modelVersion("2026-11-29T03:00 é");
        s.rememberEvent(5, 4.5f, Float.NaN, 50);
        s.rememberEvent(6, Float.NaN, 0.25f, 50);
        s.lastList(new int[] {9, 8, 7}, 3);
        UserState back = roundTrip(s);
        assertSameStoredState(s, back);
        assertEquals("2026-11-29T03:00 é", back.modelVersion());
        assertTrue(back.inLastList(8));
        byte[] bytes = serde.serialize("t", s);
        String hex = HexFormat.of().formatHex(bytes);
        assertTrue(hex.endsWith("00000002" + "00000005" + "00000006" + "40900000" + "7fc00000" + "7fc00000" + "3e800000"
                + "00000003" + "00000009" + "00000008" + "00000007" + "ffffffff"), hex);
    }

    /**
     * Bytes exactly as the version-4 serializer (float vectors, before half floats) wrote a state with a model version,
     * history and last list: still read, vectors exact; written back as version 6.
     */
    @Test
    void version4StoresAreStillReadWithFloatVectors() {
        byte[] v4 = HexFormat.of().parseHex("04" + "00000002" + "3dcccccd" + "bf9d70a4" // rating [0.1, -1.23]
                + "3f000000" + "00000001" + "c0000000" + TAIL
                + "00000001" + "0102030405060708" // one event id
                + "00000002" + "7631" // model version "v1"
                + "00000001" + "00000007" + "40900000" + "7fc00000" // history: movie 7 rated 4.5
                + "00000002" + "00000009" + "00000008"); // last list [9, 8]
        UserState s = serde.deserialize("t", v4);
        assertArrayEquals(new float[] {0.1f, -1.23f}, s.ratingVector());
        assertArrayEquals(new float[] {-2f}, s.retrievalVector());
        assertEquals(0.5f, s.ratingBias());
        assertArrayEquals(new int[] {7, 258}, s.seenOldestFirst());
        assertArrayEquals(new long[] {0x0102030405060708L}, s.eventIdsOldestFirst());
        assertEquals("v1", s.modelVersion());
        assertArrayEquals(new int[] {7}, s.historyMovies());
        assertArrayEquals(new float[] {4.5f}, s.historyRatings());
        assertEquals(2, s.lastListSize());
        assertTrue(s.inLastList(8));
        byte[] v6 = serde.serialize("t", s);
        assertEquals(6, v6[0]);
        assertEquals(v4.length - 2 * 3 + 4, v6.length, "two bytes less per vector value, and the list's version length");
        assertSameStoredState(s, serde.deserialize("t", v6));
        byte[] v4Longer = Arrays.copyOf(v4, v4.length + 4);
        assertThrows(SerializationException.class, () -> serde.deserialize("t", v4Longer));
    }

    @Test
    void theModelVersionIsDecodedOnceAndStillReadRight() {
        UserState a = sample(2, 4, 1);
        a.modelVersion("model-a");
        UserState b = sample(2, 4, 1);
        b.modelVersion("model-b é");
        byte[] ba = serde.serialize("t", a), bb = serde.serialize("t", b);
        assertEquals("model-a", serde.deserialize("t", ba).modelVersion());
        String first = serde.deserialize("t", ba).modelVersion();
        assertTrue(first == serde.deserialize("t", ba).modelVersion(), "the same String while the version does not change");
        assertEquals("model-b é", serde.deserialize("t", bb).modelVersion());
        assertEquals("model-a", serde.deserialize("t", ba).modelVersion());
        assertArrayEquals(ba, serde.serialize("t", a));
    }

    /** Bytes exactly as the version-3 serializer (main before the model lifecycle) wrote {@link #exactBytes()}'s state with one event id. */
    @Test
    void version3StoresAreStillReadWithoutVersionHistoryOrList() {
        byte[] v3 = HexFormat.of().parseHex("03" + "00000001" + "3f800000" + "3f000000" + "00000001" + "c0000000" + TAIL
                + "00000001" + "0102030405060708");
        UserState s = serde.deserialize("t", v3);
        assertArrayEquals(new float[] {1f}, s.ratingVector());
        assertArrayEquals(new float[] {-2f}, s.retrievalVector());
        assertArrayEquals(new int[] {7, 258}, s.seenOldestFirst());
        assertArrayEquals(new long[] {0x0102030405060708L}, s.eventIdsOldestFirst());
        assertEquals("", s.modelVersion());
        assertEquals(0, s.historyCount());
        assertEquals(0, s.lastListSize());
        byte[] v3Longer = Arrays.copyOf(v3, v3.length + 4);
        assertThrows(SerializationException.class, () -> serde.deserialize("t", v3Longer), "v3 ends after the event ids");
        // written back, it is a version-6 value that reads the same (1 and -2 are exact halves)
        assertSameState(s, roundTrip(s));
    }

    @Test
    void eventIdsRoundTripOldestFirst() {
        UserState s = new UserState(1, 3);
        s.rememberEventId(-1L, 4);
        s.rememberEventId(0x0102030405060708L, 4);
        byte[] bytes = serde.serialize("t", s);
        assertEquals(UserStateSerde.FIXED_BYTES + 4 + 16, bytes.length);
        assertTrue(HexFormat.of().formatHex(bytes).endsWith("00000002" + "ffffffffffffffff" + "0102030405060708" + "00000000" + "00000000" + "00000000" + "ffffffff"));
        UserState back = serde.deserialize("t", bytes);
        assertArrayEquals(new long[] {-1L, 0x0102030405060708L}, back.eventIdsOldestFirst());
        assertTrue(back.hasEventId(-1L));
    }

    @Test
    void version2StoresAreStillReadWithoutEventIds() {
        byte[] v2 = HexFormat.of().parseHex("02" + "00000001" + "3f800000" + "3f000000" + "00000001" + "c0000000" + TAIL);
        UserState s = serde.deserialize("t", v2);
        assertArrayEquals(new float[] {-2f}, s.retrievalVector());
        assertArrayEquals(new int[] {7, 258}, s.seenOldestFirst());
        assertEquals(0, s.eventIdCount());
        byte[] v2Longer = Arrays.copyOf(v2, v2.length + 4);
        assertThrows(SerializationException.class, () -> serde.deserialize("t", v2Longer), "v2 has nothing after the seen ids");
    }

    /** The bytes after the vectors in {@link #exactBytes()} up to the seen ids, the same in versions 1, 2 and 3. */
    private static final String TAIL = "0000000000000001" // event count
            + "0000000000000001" // rating count
            + "4010000000000000" // rating sum 4.0
            + "00000000000003e8" // last event time 1000
            + "00000003" // seen capacity
            + "00000002" // seen ids stored
            + "00000007" + "00000102"; // 7, 258

    @Test
    void version1StoresAreStillRead() {
        byte[] v1 = HexFormat.of().parseHex("01" + "00000001" + "3f800000" + "3f000000" + "c0000000" + TAIL);
        UserState s = serde.deserialize("t", v1);
        assertArrayEquals(new float[] {1f}, s.ratingVector());
        assertEquals(0.5f, s.ratingBias());
        assertArrayEquals(new float[] {-2f}, s.retrievalVector());
        assertEquals(1, s.eventCount());
        assertArrayEquals(new int[] {7, 258}, s.seenOldestFirst());
    }

    @Test
    void sizeGrowsWithDimAndSeenIds() {
        assertEquals(73, UserStateSerde.FIXED_BYTES);
        UserState s = sample(64, 200, 1, 2, 3);
        assertEquals(73 + 4 * 64 + 4 * 3, serde.serialize("t", s).length);
    }

    @Test
    void nullIsNull() {
        assertNull(serde.serialize("t", null));
        assertNull(serde.deserialize("t", null));
    }

    @Test
    void unknownVersionIsRejectedClearly() {
        byte[] bytes = serde.serialize("t", sample(2, 4, 1));
        bytes[0] = 7;
        SerializationException e = assertThrows(SerializationException.class, () -> serde.deserialize("t", bytes));
        assertTrue(e.getMessage().contains("unknown format version 7"), e.getMessage());
        assertTrue(e.getMessage().contains("reads version 6"), e.getMessage());
    }

    @Test
    void corruptValuesAreRejected() {
        UserState full = sample(8, 10, 1, 2, 3);
        full.modelVersion("v9");
        full.rememberEvent(1, 3f, Float.NaN, 50);
        full.lastList(new int[] {4, 5}, 2);
        assertCorruptionsRejected(serde.serialize("t", full));
        full.lastList(new int[] {4, 5}, new float[] {1f, 0f}, 2, 77L);
        byte[] whole = serde.serialize("t", full);
        assertCorruptionsRejected(whole);
        // the list's version length: where it sits, after the ids
        int at = whole.length - 16 - 4 * 2 - 2 - 4;
        assertEquals(2, java.nio.ByteBuffer.wrap(whole, at, 4).getInt(), "the version \"v9\"'s length");
        for (int bad : new int[] {-2, Integer.MIN_VALUE, 1 << 20, 3}) {
            byte[] b = whole.clone();
            java.nio.ByteBuffer.wrap(b).putInt(at, bad);
            assertThrows(SerializationException.class, () -> serde.deserialize("t", b), "version length " + bad);
        }
        // ids only (-1) but more than the 10 ids such a list has
        UserState many = sample(8, 10, 1);
        many.lastList(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, new float[12], 12, 1L);
        byte[] manyBytes = serde.serialize("t", many);
        int lengthAt = manyBytes.length - 16 - 4 * 12 - 4; // the model version "" has no bytes
        assertEquals(0, java.nio.ByteBuffer.wrap(manyBytes, lengthAt, 4).getInt());
        byte[] idsOnlyTooMany = Arrays.copyOf(manyBytes, lengthAt + 4);
        java.nio.ByteBuffer.wrap(idsOnlyTooMany).putInt(lengthAt, -1);
        SerializationException e = assertThrows(SerializationException.class, () -> serde.deserialize("t", idsOnlyTooMany));
        assertTrue(e.getMessage().contains("without scores of 12 ids"), e.getMessage());
    }

    private void assertCorruptionsRejected(byte[] good) {
        for (int len = 0; len < good.length; len++) {
            byte[] cut = Arrays.copyOf(good, len);
            assertThrows(SerializationException.class, () -> serde.deserialize("t", cut), "length " + len);
        }
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        SerializationException e = assertThrows(SerializationException.class, () -> serde.deserialize("t", longer));
        assertTrue(e.getMessage().contains("bytes left"), e.getMessage());

        byte[] hugeDim = good.clone();
        hugeDim[1] = 0x7f;
        assertThrows(SerializationException.class, () -> serde.deserialize("t", hugeDim));
    }
}
