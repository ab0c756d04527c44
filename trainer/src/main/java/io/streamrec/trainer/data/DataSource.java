package io.streamrec.trainer.data;

import java.nio.file.Path;

/**
 * "A MovieLens directory, or generated data": the one place the commands and benchmarks that take an optional
 * {@code --data DIR} turn it into a dataset.
 */
public final class DataSource {
    private DataSource() {}

    /** MovieLens files in {@code movieLensDir} (layout detected from its files), or the default generated data when null. */
    public static Dataset load(Path movieLensDir) {
        return movieLensDir != null ? MovieLensLoader.load(movieLensDir) : SyntheticData.generate(SyntheticConfig.defaults());
    }

    /** What {@link #load} reads, for people. */
    public static String describe(Path movieLensDir) {
        return movieLensDir != null ? "MovieLens " + movieLensDir.toAbsolutePath().normalize()
                : "generated data (" + SyntheticConfig.defaults() + ")";
    }
}
