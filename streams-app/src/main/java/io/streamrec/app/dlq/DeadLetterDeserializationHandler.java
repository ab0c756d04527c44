package io.streamrec.app.dlq;

import io.streamrec.schemas.DlqReasons;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records that cannot be deserialized to the dead-letter topic and carries on with the next record. Configure
 * it as Kafka Streams' {@code deserialization.exception.handler} ({@code AppConfig#streamsProperties()} does).
 *
 * <p>The dead letter has the original key and value bytes and headers, plus the {@code dlq.*} headers of
 * {@link DeadLetters} (reason {@code deserialization}, {@code unknown-schema}, or {@code key-mismatch} for a key that
 * is not a canonical id). It is returned to Kafka Streams through the KIP-1034 {@link Response#resume(List)} API,
 * so the task's own producer sends it: under {@code exactly_once_v2} it is part of the same transaction as the
 * input offset commit, so a bad record is dead-lettered exactly once, and never lost. (Kafka's built-in
 * {@code errors.dead.letter.queue.topic.name} support, used by {@code LogAndContinueExceptionHandler}, writes only
 * its own {@code __streams.errors.*} headers and cannot add our reason codes, hence this class.)
 *
 * <p><b>Global stores.</b> Kafka Streams 4.3 can only send handler-returned records from a stream task: for a
 * global store's topic (the movie catalogue) the context is not backed by a record collector and returning records
 * would kill the global thread with a {@code ClassCastException}. For those records (task id {@code -1_-1}) this
 * handler logs the topic, partition, offset and reason, counts them, and skips them; the bad record stays in its
 * (compacted, source-of-truth) topic at the logged offset.
 *
 * <p>Configuration read in {@link #configure}: {@value #DLQ_TOPIC_CONFIG} (else Kafka's
 * {@code errors.dead.letter.queue.topic.name}, else {@value DlqReasons#TOPIC}), and optionally a {@link DlqMetrics}
 * instance under {@value #METRICS_CONFIG} (else {@link DlqMetrics#shared()}).
 */
public class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    /** Configuration key of the dead-letter topic name. */
    public static final String DLQ_TOPIC_CONFIG = "streamrec.dlq.topic";
    /** Configuration key of the largest dead letter ({@link DeadLetters#fit}); default {@link DeadLetters#DEFAULT_MAX_RECORD_BYTES}. */
    public static final String MAX_RECORD_BYTES_CONFIG = "streamrec.dlq.max.record.bytes";
    /** Configuration key of a {@link DlqMetrics} object to count into (a Java object, not a string). */
    public static final String METRICS_CONFIG = "streamrec.dlq.metrics";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);
    /** At most one warning per this many ms per handler; the counts are in {@link DlqMetrics}. */
    private static final long LOG_INTERVAL_MS = 1000;

    private String dlqTopic = DlqReasons.TOPIC;
    private DlqMetrics metrics = DlqMetrics.shared();
    private int maxRecordBytes = DeadLetters.DEFAULT_MAX_RECORD_BYTES;
    private long lastLogMs = Long.MIN_VALUE;
    private long suppressed;

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(DLQ_TOPIC_CONFIG);
        if (topic == null) {
            topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        }
        if (topic != null && !topic.toString().isBlank()) {
            dlqTopic = topic.toString().trim();
        }
        Object max = configs.get(MAX_RECORD_BYTES_CONFIG);
        if (max != null) {
            maxRecordBytes = Integer.parseInt(max.toString().trim());
        }
        Object m = configs.get(METRICS_CONFIG);
        if (m instanceof DlqMetrics given) {
            metrics = given;
        } else if (m != null) {
            throw new IllegalArgumentException(METRICS_CONFIG + " must be a " + DlqMetrics.class.getName()
                    + " object, got " + m.getClass().getName());
        }
    }

    /** The topic dead letters are written to. */
    public String dlqTopic() {
        return dlqTopic;
    }

    /** Where dead letters are counted. */
    public DlqMetrics metrics() {
        return metrics;
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                Exception exception) {
        String reason = DeadLetters.reasonOf(exception);
        String detail = DeadLetters.detailOf(exception);
        metrics.increment(reason);
        if (isGlobal(context.taskId())) {
            warn("Skipping unreadable record of global store topic {} partition {} offset {} ({}: {}); it cannot"
                    + " be dead-lettered from the global thread", record, reason, detail);
            return Response.resume();
        }
        warn("Unreadable record {}-{}@{} sent to the dead-letter topic ({}: {})", record, reason, detail);
        return Response.resume(List.of(DeadLetters.record(dlqTopic, record, reason, detail, maxRecordBytes)));
    }

    private static boolean isGlobal(TaskId taskId) {
        return taskId != null && taskId.subtopology() < 0;
    }

    private synchronized void warn(String format, ConsumerRecord<byte[], byte[]> record, String reason,
                                   String detail) {
        long now = System.currentTimeMillis();
        if (lastLogMs != Long.MIN_VALUE && now - lastLogMs < LOG_INTERVAL_MS) {
            suppressed++;
            return;
        }
        lastLogMs = now;
        LOG.warn(format, record.topic(), record.partition(), record.offset(), reason, detail);
        if (suppressed > 0) {
            LOG.warn("... and {} more unreadable records since the previous warning (see the dead-letter metrics)",
                    suppressed);
            suppressed = 0;
        }
    }
}
