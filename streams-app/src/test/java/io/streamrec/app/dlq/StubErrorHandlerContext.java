package io.streamrec.app.dlq;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;

/** A hand-written {@link ErrorHandlerContext} for unit tests, as Kafka Streams builds one for a source record. */
record StubErrorHandlerContext(String topic, int partition, long offset, Headers headers, String processorNodeId,
                               TaskId taskId, long timestamp, byte[] sourceRawKey, byte[] sourceRawValue)
        implements ErrorHandlerContext {

    /** The context of a stream task {@code 0_partition} reading {@code record}. */
    static StubErrorHandlerContext forTask(ConsumerRecord<byte[], byte[]> record) {
        return new StubErrorHandlerContext(record.topic(), record.partition(), record.offset(), record.headers(),
                "KSTREAM-SOURCE-0000000000", new TaskId(0, record.partition()), record.timestamp(), record.key(),
                record.value());
    }

    /** The context the global thread gives for a global store's record (task id {@code -1_-1}). */
    static StubErrorHandlerContext forGlobalStore(ConsumerRecord<byte[], byte[]> record) {
        return new StubErrorHandlerContext(record.topic(), record.partition(), record.offset(), record.headers(),
                "KTABLE-SOURCE-0000000001", new TaskId(-1, -1), record.timestamp(), record.key(), record.value());
    }
}
