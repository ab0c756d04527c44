package io.streamrec.app.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class BoundedMemoryRocksDBConfigTest {

    /** The shared cache is a native object: load RocksDB's library even when this class runs first or alone. */
    @BeforeAll
    static void loadRocksDb() {
        RocksDB.loadLibrary();
    }

    @Test
    void configuresOptionsWithTheSharedCacheAndWriteBufferManager() {
        BoundedMemoryRocksDBConfig setter = new BoundedMemoryRocksDBConfig();
        try (Options a = new Options(); Options b = new Options()) {
            setter.setConfig("store-a", a, Map.of());
            new BoundedMemoryRocksDBConfig().setConfig("store-b", b, Map.of());

            assertNotNull(a.writeBufferManager());
            assertSame(a.writeBufferManager(), b.writeBufferManager(), "one write buffer manager for all stores");
            BlockBasedTableConfig ta = assertInstanceOf(BlockBasedTableConfig.class, a.tableFormatConfig());
            BlockBasedTableConfig tb = assertInstanceOf(BlockBasedTableConfig.class, b.tableFormatConfig());
            assertTrue(ta.cacheIndexAndFilterBlocks());
            assertTrue(ta.cacheIndexAndFilterBlocksWithHighPriority());
            assertTrue(ta.pinTopLevelIndexAndFilter());
            assertTrue(tb.cacheIndexAndFilterBlocks());
            assertSame(BoundedMemoryRocksDBConfig.shared(Map.of()).cache(),
                    BoundedMemoryRocksDBConfig.shared(Map.of()).cache(), "one cache for all stores");

            setter.close("store-a", a);
            setter.close("store-b", b);
        }
    }

    @Test
    void modifiesTheTableConfigAlreadyInstalled() {
        try (Options options = new Options()) {
            BlockBasedTableConfig installed = new BlockBasedTableConfig().setBlockSize(16 * 1024);
            options.setTableFormatConfig(installed);
            new BoundedMemoryRocksDBConfig().setConfig("s", options, Map.of());
            assertSame(installed, options.tableFormatConfig(), "Kafka Streams refuses a replaced table config");
            assertTrue(installed.cacheIndexAndFilterBlocks());
            assertEquals(16 * 1024, installed.blockSize(), "other settings kept");
        }
    }

    @Test
    void aStoreOpenedWithTheseOptionsWorks(@TempDir Path dir) throws Exception {
        BoundedMemoryRocksDBConfig setter = new BoundedMemoryRocksDBConfig();
        try (Options options = new Options().setCreateIfMissing(true)) {
            setter.setConfig("user-state", options, Map.of());
            try (RocksDB db = RocksDB.open(options, dir.toString());
                 FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                byte[] key = "42".getBytes(StandardCharsets.US_ASCII);
                db.put(key, new byte[] {1, 2, 3});
                db.flush(flush);
                assertArrayEquals(new byte[] {1, 2, 3}, db.get(key));
            }
            setter.close("user-state", options);
        }
    }

    @Test
    void sizesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> BoundedMemoryRocksDBConfig.configure(16, 16));
        assertThrows(IllegalArgumentException.class, () -> BoundedMemoryRocksDBConfig.configure(16, 0));
    }

    @Test
    void sizesFromConfigurationOrConfigure() {
        synchronized (BoundedMemoryRocksDBConfig.class) {
            BoundedMemoryRocksDBConfig.Shared before = BoundedMemoryRocksDBConfig.shared(Map.of());
            try {
                BoundedMemoryRocksDBConfig.configure(32L << 20, 8L << 20);
                BoundedMemoryRocksDBConfig.Shared s = BoundedMemoryRocksDBConfig.shared(Map.of(
                        BoundedMemoryRocksDBConfig.BLOCK_CACHE_BYTES_CONFIG, "999999999"));
                assertEquals(32L << 20, s.cacheBytes(), "configure() wins over the store configuration");
                assertEquals(8L << 20, s.writeBufferBytes());
                assertSame(s, BoundedMemoryRocksDBConfig.shared(Map.of()));
            } finally {
                BoundedMemoryRocksDBConfig.configure(before.cacheBytes(), before.writeBufferBytes());
            }
        }
    }
}
