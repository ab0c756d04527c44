package io.streamrec.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeysTest {

    @Test
    void encodesDecimalAscii() {
        assertArrayEquals("42".getBytes(StandardCharsets.US_ASCII), Keys.userKey(42));
        assertArrayEquals("0".getBytes(StandardCharsets.US_ASCII), Keys.userKey(0));
        assertArrayEquals("9223372036854775807".getBytes(StandardCharsets.US_ASCII), Keys.userKey(Long.MAX_VALUE));
        assertArrayEquals("1193".getBytes(StandardCharsets.US_ASCII), Keys.movieKey(1193));
    }

    @Test
    void roundTrips() {
        for (long id : new long[] {0, 1, 9, 10, 42, 123_456_789_012L, Long.MAX_VALUE}) {
            assertEquals(id, Keys.parseUserId(Keys.userKey(id)));
            assertEquals(id, Keys.parseUserId(Long.toString(id)));
        }
        for (int id : new int[] {0, 1, 1193, Integer.MAX_VALUE}) {
            assertEquals(id, Keys.parseMovieId(Keys.movieKey(id)));
            assertEquals(id, Keys.parseMovieId(Integer.toString(id)));
        }
    }

    @Test
    void negativeIdsCannotBeEncoded() {
        assertThrows(IllegalArgumentException.class, () -> Keys.userKey(-1));
        assertThrows(IllegalArgumentException.class, () -> Keys.movieKey(-1));
    }

    @Test
    void nullKey() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> Keys.parseUserId((byte[]) null));
        assertEquals("key: missing (null) user id", ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Keys.parseMovieId((String) null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "4 2", " 42", "42 ", "+42", "4.2", "1e3", "0x2A", "42\n", "٤٢"})
    void notDecimal(String key) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Keys.parseUserId(key));
        assertTrue(ex.getMessage().startsWith("key: not a decimal user id"), ex.getMessage());
    }

    @Test
    void messagesShowTheKey() {
        assertEquals("key: not a decimal user id: \"abc\"",
                assertThrows(IllegalArgumentException.class, () -> Keys.parseUserId("abc")).getMessage());
        assertEquals("key: not a decimal user id (negative): \"-5\"",
                assertThrows(IllegalArgumentException.class, () -> Keys.parseUserId("-5")).getMessage());
        assertEquals("key: not a decimal movie id: \"\\x00\\xFF\\\"x\"",
                assertThrows(IllegalArgumentException.class,
                        () -> Keys.parseMovieId(new byte[] {0, (byte) 0xFF, '"', 'x'})).getMessage());
        String longKey = "x".repeat(100);
        String msg = assertThrows(IllegalArgumentException.class, () -> Keys.parseUserId(longKey)).getMessage();
        assertTrue(msg.endsWith("... (100 bytes)") && msg.length() < 120, msg);
        assertEquals("key: not a decimal user id: empty key",
                assertThrows(IllegalArgumentException.class, () -> Keys.parseUserId("")).getMessage());
    }

    @Test
    void leadingZerosAreNotCanonical() {
        assertEquals(0, Keys.parseUserId("0"));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Keys.parseUserId("007"));
        assertTrue(ex.getMessage().contains("leading zero"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Keys.parseUserId("00"));
    }

    @Test
    void outOfRange() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Keys.parseUserId("9223372036854775808"))
                .getMessage().contains("out of range"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Keys.parseUserId("99999999999999999999999"))
                .getMessage().contains("out of range"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Keys.parseMovieId("2147483648"))
                .getMessage().contains("out of range"));
        assertEquals(Integer.MAX_VALUE, Keys.parseMovieId("2147483647"));
    }

    @Test
    void serdes() {
        assertArrayEquals("42".getBytes(StandardCharsets.US_ASCII), Keys.userIdSerde().serializer().serialize("t", 42L));
        assertEquals(42L, Keys.userIdSerde().deserializer().deserialize("t", "42".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(7, Keys.movieIdSerde().deserializer().deserialize("t", Keys.movieKey(7)));
        assertNull(Keys.userIdSerde().deserializer().deserialize("t", null));
        assertNull(Keys.movieIdSerde().serializer().serialize("t", null));
        assertThrows(IllegalArgumentException.class,
                () -> Keys.userIdSerde().deserializer().deserialize("t", "x".getBytes(StandardCharsets.US_ASCII)));
    }
}
