package io.streamrec.app.state;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.TableFormatConfig;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of all RocksDB state stores of the JVM together, as in the Kafka Streams memory
 * management guide ("RocksDB: bounded memory usage"): by default every store opens its own 50 MB block cache and
 * up to 3 × 16 MB memtables, so memory grows with the number of partitions a pod is assigned. Instead, every store
 * shares
 *
 * <ul>
 *   <li>one LRU block cache of {@code rocksdb.block.cache.mb} that also holds the index and filter blocks (which
 *       otherwise live outside any limit), at high priority so data blocks are evicted first, and</li>
 *   <li>one {@link WriteBufferManager} that charges all memtables to that same cache and flushes once they use
 *       {@code rocksdb.write.buffer.mb}.</li>
 * </ul>
 *
 * <p>So the cache capacity is the bound for blocks, indexes, filters and memtables together (RocksDB may exceed it
 * briefly: the limit is not strict, so reads never fail). Configure it as Kafka Streams'
 * {@code rocksdb.config.setter}; {@code AppConfig#streamsProperties()} does, and passes the sizes as
 * {@value #BLOCK_CACHE_BYTES_CONFIG} and {@value #WRITE_BUFFER_BYTES_CONFIG}. The shared objects are created when
 * the first store opens, from {@link #configure(long, long)} if it was called, else from those configuration
 * values, else from the defaults (256 MB and 64 MB, as {@code AppConfig}'s).
 *
 * <p>Kafka Streams creates one instance of this class per store, so the shared objects are static. They are never
 * closed by {@link #close(String, Options)}: other stores still use them, and they live as long as the JVM.
 */
public class BoundedMemoryRocksDBConfig implements RocksDBConfigSetter {

    /** Configuration key of the cache capacity in bytes (blocks, index and filter blocks, and memtables). */
    public static final String BLOCK_CACHE_BYTES_CONFIG = "streamrec.rocksdb.block.cache.bytes";
    /** Configuration key of the memtable budget in bytes, part of the cache capacity. */
    public static final String WRITE_BUFFER_BYTES_CONFIG = "streamrec.rocksdb.write.buffer.bytes";

    public static final long DEFAULT_BLOCK_CACHE_BYTES = 256L * 1024 * 1024;
    public static final long DEFAULT_WRITE_BUFFER_BYTES = 64L * 1024 * 1024;

    /** Share of the cache reserved for index and filter blocks (high-priority pool), as in the Kafka guide. */
    static final double INDEX_FILTER_BLOCK_RATIO = 0.1;
    /** 16 shards: less lock contention between stream threads; each shard holds 16 MB at the default 256 MB. */
    private static final int CACHE_SHARD_BITS = 4;

    /** The shared cache and write buffer manager, and the sizes they were made with. */
    record Shared(long cacheBytes, long writeBufferBytes, Cache cache, WriteBufferManager writeBufferManager) {}

    private static Shared shared;
    private static long configuredCacheBytes = -1;
    private static long configuredWriteBufferBytes = -1;

    /**
     * Sets the sizes for the shared cache and write buffer manager; call once at start-up, before the first store
     * opens. A later call with other sizes affects only stores opened afterwards (the objects already in use cannot
     * be resized).
     *
     * @throws IllegalArgumentException unless {@code 0 < writeBufferBytes < cacheBytes}
     */
    public static synchronized void configure(long cacheBytes, long writeBufferBytes) {
        checkSizes(cacheBytes, writeBufferBytes);
        configuredCacheBytes = cacheBytes;
        configuredWriteBufferBytes = writeBufferBytes;
        if (shared != null && (shared.cacheBytes() != cacheBytes || shared.writeBufferBytes() != writeBufferBytes)) {
            shared = null;
        }
    }

    /** The shared objects, created on first use. */
    static synchronized Shared shared(Map<String, Object> configs) {
        if (shared == null) {
            long cacheBytes = configuredCacheBytes;
            long writeBufferBytes = configuredWriteBufferBytes;
            if (cacheBytes < 0) {
                cacheBytes = bytes(configs, BLOCK_CACHE_BYTES_CONFIG, DEFAULT_BLOCK_CACHE_BYTES);
                writeBufferBytes = bytes(configs, WRITE_BUFFER_BYTES_CONFIG, DEFAULT_WRITE_BUFFER_BYTES);
                checkSizes(cacheBytes, writeBufferBytes);
            }
            Cache cache = new LRUCache(cacheBytes, CACHE_SHARD_BITS, false, INDEX_FILTER_BLOCK_RATIO);
            WriteBufferManager wbm = new WriteBufferManager(writeBufferBytes, cache);
            shared = new Shared(cacheBytes, writeBufferBytes, cache, wbm);
        }
        return shared;
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Shared s = shared(configs);
        // Modify the table config Kafka Streams installed (it exposes the cache to the RocksDB metrics, and Kafka
        // Streams refuses a replaced BlockBasedTableConfig); only outside Kafka Streams is there none yet.
        TableFormatConfig current = options.tableFormatConfig();
        BlockBasedTableConfig table = current instanceof BlockBasedTableConfig b ? b : new BlockBasedTableConfig();
        table.setBlockCache(s.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(s.writeBufferManager());
        // The Java table config is copied into a native table factory when set, so set it again after the changes.
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // Nothing per store to close: this setter allocates no RocksDB object per store. The shared cache and write
        // buffer manager must stay open, since the other stores (and stores opened later) still use them.
    }

    private static long bytes(Map<String, Object> configs, String key, long defaultValue) {
        Object v = configs == null ? null : configs.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return v instanceof Number n ? n.longValue() : Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " = " + v + ": not a number of bytes", e);
        }
    }

    private static void checkSizes(long cacheBytes, long writeBufferBytes) {
        if (writeBufferBytes <= 0 || cacheBytes <= writeBufferBytes) {
            throw new IllegalArgumentException("RocksDB memory: need 0 < write buffer bytes (" + writeBufferBytes
                    + ") < cache bytes (" + cacheBytes + ")");
        }
    }
}
