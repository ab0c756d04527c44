package io.streamrec.app.topology;

import io.streamrec.avro.Recommendations;
import io.streamrec.avro.RecommendedMovie;
import io.streamrec.core.model.UserState;

import java.util.ArrayList;
import java.util.List;

/**
 * The output record of the list a user's state keeps whole ({@link UserState#hasServableList()}): what the processor
 * sends to the recommendations topic and what the query API answers, built the same way for both.
 */
public final class LastListRecord {
    private LastListRecord() {}

    public static Recommendations of(long userId, UserState state) {
        if (!state.hasServableList()) throw new IllegalArgumentException("user " + userId + "'s state keeps no whole list");
        int n = state.lastListSize();
        List<RecommendedMovie> movies = new ArrayList<>(n);
        for (int r = 0; r < n; r++) movies.add(new RecommendedMovie(state.lastListMovie(r), state.lastListScore(r)));
        return new Recommendations(userId, movies, state.lastListModelVersion(), state.lastListGeneratedAt(),
                state.lastListEventCount());
    }
}
