package io.streamrec.trainer.train;

import io.streamrec.core.features.MovieMeta;
import io.streamrec.core.model.ItemIndex;
import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.Interactions;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Events re-expressed on dense indexes, the form every trainer loop runs on. Items are the whole
 * catalogue (so a movie nobody rated still has a slot); users are those present in the events
 * of the dataset this was built from, so train and test built from one {@link Indexed#of} agree.
 */
public final class Indexed {
    public final ItemIndex items;
    public final MovieMeta[] movies;
    /** user id → dense index, −1 when absent; sized by the largest id. */
    private final int[] userIndex;
    private final int[] userIds;

    private Indexed(ItemIndex items, MovieMeta[] movies, int[] userIndex, int[] userIds) {
        this.items = items;
        this.movies = movies;
        this.userIndex = userIndex;
        this.userIds = userIds;
    }

    public static Indexed of(Dataset all) {
        List<MovieMeta> catalogue = all.movies();
        Interactions ev = all.events();
        int[] ids = new int[catalogue.size() + ev.size()];
        int k = 0;
        for (MovieMeta m : catalogue) ids[k++] = m.movieId();
        for (int i = 0; i < ev.size(); i++) ids[k++] = ev.movieId(i);
        ItemIndex items = ItemIndex.of(ids);
        MovieMeta[] movies = new MovieMeta[items.size()];
        Map<Integer, MovieMeta> byId = all.movieById();
        for (int i = 0; i < items.size(); i++) {
            MovieMeta m = byId.get(items.movieId(i));
            movies[i] = m != null ? m : new MovieMeta(items.movieId(i), "movie " + items.movieId(i), List.of(), 0);
        }
        int[] users = ev.distinctUsers();
        Arrays.sort(users);
        int[] index = new int[users.length == 0 ? 1 : users[users.length - 1] + 1];
        Arrays.fill(index, -1);
        for (int u = 0; u < users.length; u++) index[users[u]] = u;
        return new Indexed(items, movies, index, users);
    }

    public int userCount() {
        return userIds.length;
    }

    public int itemCount() {
        return items.size();
    }

    public int user(int userId) {
        return userId >= 0 && userId < userIndex.length ? userIndex[userId] : -1;
    }

    public int userId(int index) {
        return userIds[index];
    }

    public int item(int movieId) {
        return items.indexOf(movieId);
    }
}
