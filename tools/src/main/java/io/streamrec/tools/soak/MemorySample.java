package io.streamrec.tools.soak;

/**
 * One sample of the soak: where the stream stood and what the app's process held. Memory in bytes; -1 where a value
 * could not be read (no /proc, a metric not exposed).
 *
 * @param inputLag            input records not yet committed by the app's group, over both input topics
 * @param rocksdbBlockCache   the shared RocksDB block cache in use (memtables are charged to it, see
 *                            BoundedMemoryRocksDBConfig): the largest {@code block-cache-usage} over the stores, which
 *                            all report the one cache
 * @param rocksdbMemtables    {@code size-all-mem-tables}, summed over the stores
 * @param rocksdbTableReaders {@code estimate-table-readers-mem} (indexes and filters outside the cache), summed
 */
record MemorySample(double seconds, long eventsProduced, long listsReceived, long inputLag, long heapUsed, long heapCommitted, long rss,
                    long rocksdbBlockCache, long rocksdbMemtables, long rocksdbTableReaders) {

    static String csvHeader() {
        return "seconds,events_produced,lists_received,input_lag,heap_used_bytes,heap_committed_bytes,rss_bytes,"
                + "rocksdb_block_cache_usage_bytes,rocksdb_memtables_bytes,rocksdb_table_readers_bytes";
    }

    String csvRow() {
        return String.format(java.util.Locale.ROOT, "%.1f,%d,%d,%d,%d,%d,%d,%d,%d,%d", seconds, eventsProduced, listsReceived, inputLag,
                heapUsed, heapCommitted, rss, rocksdbBlockCache, rocksdbMemtables, rocksdbTableReaders);
    }
}
