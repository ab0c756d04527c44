package io.streamrec.tools.demo;

import io.streamrec.tools.replay.PacedReplayer;
import io.streamrec.app.RecommenderInstance;
import io.streamrec.app.metrics.LiveStatus;

import java.io.PrintStream;

/**
 * Prints the demo's status once a second: on a terminal one line rewritten in place, otherwise (output to a file or
 * a pipe) a new line every ten seconds.
 */
final class StatusLine implements Runnable {
    private final RecommenderInstance service;
    private final PacedReplayer replayer;
    private final PrintStream out;
    private final boolean terminal = System.console() != null;

    StatusLine(RecommenderInstance service, PacedReplayer replayer, PrintStream out) {
        this.service = service;
        this.replayer = replayer;
        this.out = out;
    }

    @Override
    public void run() {
        long lastEvents = service.app().quality().events();
        long lastTime = System.nanoTime();
        for (int tick = 1; !Thread.currentThread().isInterrupted(); tick++) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            LiveStatus s = service.http().status();
            long now = System.nanoTime();
            double perSecond = (s.events() - lastEvents) / ((now - lastTime) / 1e9);
            lastEvents = s.events();
            lastTime = now;
            String line = s.line(perSecond) + String.format(" | replay %.0f/s%s", replayer.rate(), replayer.finished() ? " (all replayed)" : "");
            if (terminal) {
                out.print("\r" + line + "  ");
                out.flush();
            } else if (tick % 10 == 0) {
                out.println(line);
            }
        }
    }
}
