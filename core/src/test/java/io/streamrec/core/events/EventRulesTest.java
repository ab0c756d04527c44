package io.streamrec.core.events;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class EventRulesTest {
    @Test
    void ratingScaleIsClosedAndRefusesNaN() {
        assertNull(EventRules.checkRating(0.5f));
        assertNull(EventRules.checkRating(5f));
        assertNull(EventRules.checkRating(3.7f));
        assertTrue(EventRules.checkRating(0.49f).startsWith("rating: must be in [0.5, 5]"));
        assertNotNull(EventRules.checkRating(5.01f));
        assertNotNull(EventRules.checkRating(Float.NaN));
        assertNotNull(EventRules.checkRating(Float.POSITIVE_INFINITY));
        assertEquals(0.5f, RatingScale.clip(-3f));
        assertEquals(5f, RatingScale.clip(7f));
        assertEquals(3.2f, RatingScale.clip(3.2f));
        assertEquals(5f, RatingScale.clip(Float.POSITIVE_INFINITY));
    }

    @Test
    void idsWatchesAndTimesNameTheirField() {
        assertTrue(EventRules.checkUserId(-1).startsWith("userId:"));
        assertNull(EventRules.checkUserId(0));
        assertTrue(EventRules.checkMovieId(-1).startsWith("movieId:"));
        assertTrue(EventRules.checkSecondsWatched(-1).startsWith("secondsWatched:"));
        assertNull(EventRules.checkSecondsWatched(0));
        assertTrue(EventRules.checkMovieLength(0).startsWith("movieLengthSeconds:"));
        assertNull(EventRules.checkMovieLength(null));
        assertTrue(EventRules.checkEventTime(2_001, 1_000, 1_000).startsWith("eventTime:"));
        assertNull(EventRules.checkEventTime(2_000, 1_000, 1_000));
    }

    @Test
    void completionIsClippedAndDefaultsTheLength() {
        assertEquals(0.5f, EventRules.completion(3000, null));
        assertEquals(1f, EventRules.completion(9000, 6000));
        assertEquals(0.25f, EventRules.completion(100, 400));
        assertEquals(3000, EventRules.secondsWatched(0.5f));
    }
}
