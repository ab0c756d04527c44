package io.streamrec.app.items;

import io.streamrec.app.config.AppConfig;
import io.streamrec.app.config.ConfigurationException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.StreamsConfig;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates the two topics online item learning needs when they are missing, before the streams start: the internal
 * {@code <application.id>-item-feedback} (delete policy) and the compacted {@code topic.item-vectors}, both with the
 * partition count of {@code topic.ratings} and the replication factor of Kafka Streams' internal topics
 * ({@code replication.factor}). Existing topics are left as
 * they are; a start without the right to create them needs them created beforehand.
 */
public final class ItemTopics {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ItemTopics.class);
    private static final long TIMEOUT_SECONDS = 30;

    private ItemTopics() {}

    public static void ensure(AppConfig config) {
        if (!config.itemsLearnOnline()) return;
        StreamsConfig streams = new StreamsConfig(config.streamsProperties());
        try (Admin admin = Admin.create(streams.getAdminConfigs(config.applicationId() + "-item-topics"))) {
            int partitions = partitions(admin, config.ratingsTopic());
            // like Kafka Streams' own internal topics: replication.factor (-1, the default, is the broker's default)
            int rf = streams.getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG);
            Optional<Short> replicas = rf > 0 ? Optional.of((short) rf) : Optional.empty();
            create(admin, new NewTopic(config.itemFeedbackTopic(), Optional.of(partitions), replicas));
            create(admin, new NewTopic(config.itemVectorsTopic(), Optional.of(partitions), replicas)
                    .configs(Map.of("cleanup.policy", "compact")));
            // the global stream thread refuses to start on a topic whose partitions it cannot see yet, which right after
            // creating it (by this instance or one starting beside it) can be the case for a moment
            awaitLeaders(admin, List.of(config.itemFeedbackTopic(), config.itemVectorsTopic()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the item topics", e);
        }
    }

    private static int partitions(Admin admin, String topic) throws InterruptedException {
        try {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic);
            return d.partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new ConfigurationException(List.of(AppConfig.TOPIC_RATINGS_CONFIG + "=" + topic
                        + ": topic does not exist (create the input topics before starting the app)"));
            }
            throw new IllegalStateException("cannot describe " + topic + ": " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no answer from the brokers in " + TIMEOUT_SECONDS + " s describing " + topic, e);
        }
    }

    private static void awaitLeaders(Admin admin, List<String> topics) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                var all = admin.describeTopics(topics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                boolean ready = all.values().stream().allMatch(d -> !d.partitions().isEmpty()
                        && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                if (ready) return;
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                // not visible yet: try again until the deadline
            }
            if (System.nanoTime() > end) throw new IllegalStateException("topics " + topics + " have no leaders after "
                    + TIMEOUT_SECONDS + " s");
            Thread.sleep(100);
        }
    }

    private static void create(Admin admin, NewTopic topic) throws InterruptedException {
        try {
            // declared beforehand (a deployment whose user may not create topics): nothing to do
            admin.describeTopics(List.of(topic.name())).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw new IllegalStateException("cannot describe topic " + topic.name() + ": " + e.getCause(), e.getCause());
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no answer from the brokers in " + TIMEOUT_SECONDS + " s describing " + topic.name(), e);
        }
        try {
            admin.createTopics(List.of(topic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.info("created topic {} ({} partitions) for online item learning", topic.name(), topic.numPartitions());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic.name() + " (items.learn.online=true): "
                        + e.getCause(), e.getCause());
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no answer from the brokers in " + TIMEOUT_SECONDS + " s creating " + topic.name(), e);
        }
    }
}
