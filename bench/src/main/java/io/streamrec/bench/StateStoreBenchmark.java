package io.streamrec.bench;

import io.streamrec.app.state.UserStateSerde;
import io.streamrec.core.model.UserState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The state part of the per-event work on its own: the user's state read from RocksDB, decoded
 * ({@link UserStateSerde}), encoded and written back — with 100k users' states (dim 64, a full
 * seen ring of 50 ids) already in the store, WAL off as Kafka Streams runs it. Also the serde alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class StateStoreBenchmark {
    static final int USERS = 100_000;

    @Param({"64"})
    int dim;

    Path dir;
    Options options;
    WriteOptions writeOptions;
    RocksDB db;
    UserStateSerde serde = new UserStateSerde();
    SplittableRandom rnd = new SplittableRandom(42);
    byte[] sample;

    static {
        RocksDB.loadLibrary();
    }

    @Setup
    public void setup() throws IOException, RocksDBException {
        dir = Files.createTempDirectory("bench-rocksdb-");
        options = new Options().setCreateIfMissing(true);
        writeOptions = new WriteOptions().setDisableWAL(true);
        db = RocksDB.open(options, dir.toString());
        for (int k = 1; k <= USERS; k++) {
            UserState s = new UserState(dim, 1000);
            for (int f = 0; f < dim; f++) s.ratingVector()[f] = (float) rnd.nextGaussian();
            for (int j = 0; j < 50; j++) s.addSeen(rnd.nextInt(20_000));
            db.put(writeOptions, key(k), serde.serialize(null, s));
        }
        sample = db.get(key(1));
    }

    private static byte[] key(long user) {
        return ByteBuffer.allocate(8).putLong(user).array();
    }

    @TearDown
    public void close() throws IOException {
        db.close();
        writeOptions.close();
        options.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public long readModifyWrite() throws RocksDBException {
        byte[] k = key(1 + rnd.nextInt(USERS));
        UserState s = serde.deserialize(null, db.get(k));
        s.countEvent(4f, 0L);
        db.put(writeOptions, k, serde.serialize(null, s));
        return s.eventCount();
    }

    @Benchmark
    public byte[] serdeRoundTrip() {
        return serde.serialize(null, serde.deserialize(null, sample));
    }
}
