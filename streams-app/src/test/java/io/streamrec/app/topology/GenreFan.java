package io.streamrec.app.topology;

import io.streamrec.core.model.RecommenderModel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A genre fan: a user new to the model who rates every trained movie of one genre of the generated catalogue 5 (a
 * genre with 20 to 60 of them), in id order, then one movie of another genre 2; the new movie has that genre.
 */
public record GenreFan(long userId, List<String> genres, int[] movies, float[] ratings) {
    public static GenreFan of(RecommenderModel m) {
        Map<String, Integer> count = new HashMap<>();
        for (int i = 0; i < m.items().loaded(); i++) {
            if (m.trained(i)) for (String g : m.movie(i).genres()) count.merge(g, 1, Integer::sum);
        }
        String genre = count.entrySet().stream().filter(e -> e.getValue() >= 20 && e.getValue() <= 60)
                .map(Map.Entry::getKey).sorted().findFirst().orElseThrow();
        List<Integer> ids = new java.util.ArrayList<>();
        List<Float> rs = new java.util.ArrayList<>();
        int other = -1;
        for (int i = 0; i < m.items().loaded(); i++) {
            if (!m.trained(i)) continue;
            if (m.movie(i).genres().contains(genre)) {
                ids.add(m.items().movieId(i));
                rs.add(5f);
            } else if (other < 0) other = m.items().movieId(i);
        }
        ids.add(other);
        rs.add(2f);
        float[] r = new float[rs.size()];
        for (int k = 0; k < r.length; k++) r[k] = rs.get(k);
        return new GenreFan(500_000, List.of(genre), ids.stream().mapToInt(Integer::intValue).toArray(), r);
    }
}
