package io.streamrec.app.it;

import io.streamrec.app.EventProducers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Produces the fixture's events in order at a steady rate on its own thread until stopped. */
final class SteadyReplay implements AutoCloseable {
    private final EosFixture eos;
    private final int perSecond;
    private final AtomicInteger produced = new AtomicInteger();
    private final Thread thread;
    private volatile boolean stop;
    private volatile Throwable failure;
    /** Wall-clock time (ms) each event was handed to the producer, by event index; 0 for events not sent here. */
    private final long[] sentAt;

    SteadyReplay(EosFixture eos, int perSecond) {
        this(eos, perSecond, 0);
    }

    /** Starts after the first {@code alreadyProduced} events (produced before, e.g. as a backlog of state). */
    SteadyReplay(EosFixture eos, int perSecond, int alreadyProduced) {
        this.eos = eos;
        this.perSecond = perSecond;
        this.produced.set(alreadyProduced);
        this.sentAt = new long[eos.total];
        this.thread = new Thread(this::run, "steady-replay");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        int batch = Math.max(1, perSecond / 10);
        long next = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = EventProducers.create(eos.producerSettings())) {
            while (!stop && produced.get() + batch <= eos.total) {
                int from = produced.get();
                List<Future<RecordMetadata>> sent = new ArrayList<>(batch);
                for (int i = from; i < from + batch; i++) {
                    sentAt[i] = System.currentTimeMillis();
                    sent.add(producer.send(eos.record(i)));
                }
                for (Future<RecordMetadata> f : sent) f.get(); // acknowledged before counted
                produced.addAndGet(batch);
                next += 100_000_000L;
                long sleep = next - System.nanoTime();
                if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** When event {@code i} was sent (wall clock, ms); 0 if this replay did not send it. Read after {@link #stop()}. */
    long sentAt(int i) {
        return sentAt[i];
    }

    int produced() {
        return produced.get();
    }

    /** Stops producing; returns how many events were produced, all acknowledged. */
    int stop() throws InterruptedException {
        stop = true;
        thread.join(30_000);
        if (failure != null) throw new AssertionError("the replay failed", failure);
        return produced.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
