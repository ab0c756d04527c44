package io.streamrec.app.dlq;

import io.streamrec.schemas.DlqReasons;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record a processor fails on (e.g. the user's stored state cannot be decoded, a bug on one odd input) goes to the
 * dead-letter topic as {@code processing-error}, with the source record's original bytes and the exception in
 * {@code dlq.detail}, and the app goes on with the next record instead of stopping its stream thread (where
 * {@code run} would sit idle, {@code /health} 503, until someone looked). Kafka Streams' {@code
 * processing.exception.handler}, set by {@code AppConfig#streamsProperties()}.
 *
 * <p>As with {@link DeadLetterDeserializationHandler}, the dead letter is returned to Kafka Streams (KIP-1034), so
 * under exactly-once it is written in the task's transaction; and a failure in the global thread (the catalogue) is
 * logged and skipped, since no record can be produced from there.
 *
 * <p>Trade-off: a fault that hits every record (say, a broken ranker) sends every record to the dead-letter topic
 * rather than stopping the app. The records keep their original bytes, so they can be replayed once it is fixed;
 * watch {@code streamrec_dlq_records_total{reason="processing-error"}}.
 */
public class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);
    private static final long LOG_INTERVAL_MS = 1000;

    private String dlqTopic = DlqReasons.TOPIC;
    private DlqMetrics metrics = DlqMetrics.shared();
    private int maxRecordBytes = DeadLetters.DEFAULT_MAX_RECORD_BYTES;
    private long lastLogMs = Long.MIN_VALUE;

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(DeadLetterDeserializationHandler.DLQ_TOPIC_CONFIG);
        if (topic == null) topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (topic != null && !topic.toString().isBlank()) dlqTopic = topic.toString().trim();
        Object max = configs.get(DeadLetterDeserializationHandler.MAX_RECORD_BYTES_CONFIG);
        if (max != null) maxRecordBytes = Integer.parseInt(max.toString().trim());
        if (configs.get(DeadLetterDeserializationHandler.METRICS_CONFIG) instanceof DlqMetrics given) metrics = given;
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        String detail = context.processorNodeId() + ": " + exception.getClass().getName()
                + (exception.getMessage() == null ? "" : ": " + exception.getMessage());
        metrics.increment(DlqReasons.PROCESSING_ERROR);
        boolean global = context.taskId() != null && context.taskId().subtopology() < 0;
        log(context, detail, exception, global);
        if (global) return Response.resume();
        ConsumerRecord<byte[], byte[]> source = new ConsumerRecord<>(context.topic(), context.partition(),
                context.offset(), context.timestamp(), TimestampType.CREATE_TIME, -1, -1, context.sourceRawKey(),
                context.sourceRawValue(), context.headers() == null ? new RecordHeaders() : context.headers(),
                java.util.Optional.empty());
        return Response.resume(List.of(DeadLetters.record(dlqTopic, source, DlqReasons.PROCESSING_ERROR, detail,
                maxRecordBytes)));
    }

    private synchronized void log(ErrorHandlerContext c, String detail, Exception e, boolean global) {
        long now = System.currentTimeMillis();
        if (lastLogMs != Long.MIN_VALUE && now - lastLogMs < LOG_INTERVAL_MS) return; // counted in the metrics
        lastLogMs = now;
        LOG.warn("Processing {}-{}@{} failed ({}); {}", c.topic(), c.partition(), c.offset(), detail,
                global ? "skipped (global thread)" : "sent to the dead-letter topic", e);
    }
}
