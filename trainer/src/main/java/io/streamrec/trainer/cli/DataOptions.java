package io.streamrec.trainer.cli;

import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.DataSource;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.data.SyntheticData;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the events come from: a MovieLens directory or generated data. */
final class DataOptions {
    @Option(names = "--data", description = "MovieLens directory (ml-100k, ml-1m or ml-latest layout, detected from its files)")
    Path data;

    @Option(names = "--synthetic", description = "Use generated data (users with tastes, genres, years, popularity skew)")
    boolean synthetic;

    @Option(names = "--synthetic-users", defaultValue = "2000", description = "Generated users (default: ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--synthetic-movies", defaultValue = "3000", description = "Generated movies (default: ${DEFAULT-VALUE})")
    int movies;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for generated data (default: ${DEFAULT-VALUE})")
    long seed;

    Dataset load() {
        if (data != null && synthetic) throw new IllegalArgumentException("give either --data DIR or --synthetic, not both");
        if (data == null && !synthetic) throw new IllegalArgumentException("give --data DIR (MovieLens files) or --synthetic");
        if (synthetic) {
            SyntheticConfig d = SyntheticConfig.defaults();
            return SyntheticData.generate(new SyntheticConfig(users, movies, d.meanEventsPerUser(), d.latentDim(), d.watchFraction(), seed));
        }
        return DataSource.load(data);
    }
}
