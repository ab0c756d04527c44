package io.streamrec.trainer.eval;

import java.util.BitSet;

/**
 * Item-kNN baseline: score(u, i) = Σ_{j ∈ seen(u)} cos(i, j) on the binary user×item matrix,
 * using every co-occurring neighbour. Scores are accumulated by walking the users of each seen
 * item, so no item×item matrix is ever stored.
 */
public final class ItemKnn {
    private final int[][] usersOfItem;
    private final int[][] itemsOfUser;
    private final float[] invNorm;

    public ItemKnn(BitSet[] seenByUser, int items) {
        itemsOfUser = new int[seenByUser.length][];
        int[] count = new int[items];
        for (int u = 0; u < seenByUser.length; u++) {
            itemsOfUser[u] = seenByUser[u].stream().toArray();
            for (int i : itemsOfUser[u]) count[i]++;
        }
        usersOfItem = new int[items][];
        for (int i = 0; i < items; i++) usersOfItem[i] = new int[count[i]];
        int[] fill = new int[items];
        for (int u = 0; u < itemsOfUser.length; u++) for (int i : itemsOfUser[u]) usersOfItem[i][fill[i]++] = u;
        invNorm = new float[items];
        for (int i = 0; i < items; i++) invNorm[i] = count[i] == 0 ? 0f : (float) (1.0 / Math.sqrt(count[i]));
    }

    /** Writes score(u, ·) into {@code scores} (length = items). */
    public void scores(int user, float[] scores) {
        java.util.Arrays.fill(scores, 0f);
        for (int j : itemsOfUser[user]) {
            float nj = invNorm[j];
            for (int w : usersOfItem[j]) {
                for (int i : itemsOfUser[w]) scores[i] += nj;
            }
        }
        for (int i = 0; i < scores.length; i++) scores[i] *= invNorm[i];
    }
}
