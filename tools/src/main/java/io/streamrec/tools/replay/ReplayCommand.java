package io.streamrec.tools.replay;

import io.streamrec.tools.KafkaBootstrapOption;
import io.streamrec.app.config.AppConfig;
import io.streamrec.trainer.data.DataSource;
import io.streamrec.trainer.data.Dataset;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Produces MovieLens (or generated) events to the input topics in timestamp order, and the catalogue to `movies`.")
public final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--data", description = "MovieLens directory; without it, generated data")
    Path data;

    @Mixin
    KafkaBootstrapOption bootstrap;

    @Option(names = "--rate", defaultValue = "0", description = "Events per second; 0 = as fast as possible (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--limit", defaultValue = "0", description = "Stop after this many events; 0 = all")
    int limit;

    @Override
    public Integer call() throws InterruptedException {
        if (rate < 0) throw new IllegalArgumentException("--rate: must be >= 0, was " + rate);
        if (limit < 0) throw new IllegalArgumentException("--limit: must be >= 0, was " + limit);
        Dataset d = DataSource.load(data);
        System.out.println("replaying " + d);
        AppConfig topics = AppConfig.defaults();
        int n = limit > 0 ? Math.min(limit, d.events().size()) : d.events().size();
        PacedReplayer replayer = new PacedReplayer(d, bootstrap.servers, topics.ratingsTopic(), topics.watchesTopic(),
                topics.moviesTopic(), rate == 0 ? Double.POSITIVE_INFINITY : rate, 0, 0, n);
        Thread t = new Thread(replayer, "replay");
        t.start();
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("replay").setInitialMax(n)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" events", 1).showSpeed().build()) {
            while (t.isAlive()) {
                t.join(200);
                bar.stepTo(replayer.produced());
            }
        }
        System.out.printf("%,d events produced%n", replayer.produced());
        return replayer.produced() == n ? 0 : 1;
    }
}
