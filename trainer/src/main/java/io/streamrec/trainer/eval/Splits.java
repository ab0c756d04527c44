package io.streamrec.trainer.eval;

import io.streamrec.trainer.data.Interactions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The evaluation splits of design.md, exactly as stated there. */
public final class Splits {
    private Splits() {}

    public record Split(Interactions train, Interactions test) {}

    /** Rated events only, shuffled with {@code seed}; the first {@code trainFraction} train, the rest test. */
    public static Split randomRatings(Interactions events, double trainFraction, long seed) {
        int[] rated = java.util.stream.IntStream.range(0, events.size()).filter(i -> !Float.isNaN(events.rating(i))).toArray();
        Random rnd = new Random(seed);
        for (int i = rated.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = rated[i]; rated[i] = rated[j]; rated[j] = t;
        }
        int cut = (int) Math.floor(rated.length * trainFraction);
        return new Split(events.subset(Arrays.copyOfRange(rated, 0, cut)), events.subset(Arrays.copyOfRange(rated, cut, rated.length)));
    }

    /**
     * Per user, events sorted by (timestamp, movie id): the last {@code testFraction} of them,
     * rounded down but at least one, are test; the rest train.
     */
    public static Split temporalPerUser(Interactions events, double testFraction) {
        Map<Integer, List<Integer>> byUser = new HashMap<>();
        for (int i = 0; i < events.size(); i++) byUser.computeIfAbsent(events.userId(i), k -> new ArrayList<>()).add(i);
        int[] train = new int[events.size()], test = new int[events.size()];
        int nTrain = 0, nTest = 0;
        int[] users = byUser.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        for (int u : users) {
            List<Integer> idx = byUser.get(u);
            idx.sort((a, b) -> {
                int c = Long.compare(events.timestamp(a), events.timestamp(b));
                return c != 0 ? c : Integer.compare(events.movieId(a), events.movieId(b));
            });
            int nTestUser = Math.max(1, (int) Math.floor(idx.size() * testFraction));
            int cut = idx.size() - nTestUser;
            for (int k = 0; k < idx.size(); k++) {
                if (k < cut) train[nTrain++] = idx.get(k);
                else test[nTest++] = idx.get(k);
            }
        }
        return new Split(events.subset(Arrays.copyOf(train, nTrain)), events.subset(Arrays.copyOf(test, nTest)));
    }
}
