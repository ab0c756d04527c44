package io.streamrec.app.topology;

import io.streamrec.app.dlq.DeadLetters;
import io.streamrec.app.dlq.DlqMetrics;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * How a processor of this topology sends a record it refuses to the dead-letter sink: the original key and value
 * bytes and headers, plus the {@code dlq.*} headers naming the source and the reason, counted in {@link DlqMetrics}.
 * Through the task's own producer, so under exactly-once a refused record is dead-lettered exactly once.
 */
final class DeadLetterForwarding {
    private DeadLetterForwarding() {}

    static void forward(ProcessorContext<Object, Object> context, DlqMetrics metrics, int maxRecordBytes, byte[] key,
                        byte[] value, long timestamp, Headers original, String reason, String detail) {
        // always present here: these processors only ever run on records read from a source topic
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        var headers = DeadLetters.headers(meta.topic(), meta.partition(), meta.offset(), timestamp, reason, detail);
        for (var h : original) headers.add(h);
        byte[][] kv = DeadLetters.fit(key, value, headers, maxRecordBytes);
        metrics.increment(reason);
        // stamped now: a future-timestamp record would be refused by the broker (max 1 h ahead);
        // the original timestamp travels in the dlq.timestamp header
        context.forward(new Record<Object, Object>(kv[0], kv[1], context.currentSystemTimeMs(), headers), EventTopology.DLQ_SINK);
    }
}
