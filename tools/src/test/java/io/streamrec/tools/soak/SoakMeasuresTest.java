package io.streamrec.tools.soak;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SoakMeasuresTest {

    @Test
    void heapIsSummedOverHeapPoolsAndRocksDbPerStoreFiguresAreCombined() {
        String text = """
                # HELP jvm_memory_used_bytes The amount of used memory
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1000.0
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 500.0
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 99999.0
                jvm_memory_committed_bytes{area="heap",id="G1 Eden Space"} 4000.0
                kafka_stream_state_block_cache_usage{rocksdb_state_id="user-state",task_id="0_0"} 700.0
                kafka_stream_state_block_cache_usage{rocksdb_state_id="user-state",task_id="0_1"} 700.0
                kafka_stream_state_size_all_mem_tables{rocksdb_state_id="user-state",task_id="0_0"} 30.0
                kafka_stream_state_size_all_mem_tables{rocksdb_state_id="user-state",task_id="0_1"} 12.0
                kafka_stream_state_estimate_table_readers_mem{rocksdb_state_id="user-state",task_id="0_0"} NaN
                kafka_stream_state_estimate_table_readers_mem{rocksdb_state_id="user-state",task_id="0_1"} 5.0
                """;
        // the cache is one, shared: every store reports all of it, so the largest, not the sum
        assertArrayEquals(new long[] {1500, 4000, 700, 42, 5}, AppMemory.parse(text));
        assertArrayEquals(new long[] {-1, -1, -1, -1, -1}, AppMemory.parse("# nothing\n"));
    }

    @Test
    void driftIsTheSlopeOverTheSecondHalfInMbPerHour() {
        long mb = 1048576;
        // flat at 100 MB for the first half (start-up), then +1 MB per 36 s = +100 MB/h
        List<MemorySample> samples = List.of(sample(0, 10 * mb), sample(36, 100 * mb), sample(72, 100 * mb),
                sample(108, 101 * mb), sample(144, 102 * mb), sample(180, 103 * mb));
        SoakSummary s = new SoakSummary(samples, 10);
        assertEquals(100.0, s.driftMbPerHour(MemorySample::rss), 1e-6);
        assertEquals(103 * mb, s.max(MemorySample::rss));
    }

    private static MemorySample sample(double seconds, long rss) {
        return new MemorySample(seconds, 0, 0, 0, 1, 2, rss, 0, 0, 0);
    }
}
