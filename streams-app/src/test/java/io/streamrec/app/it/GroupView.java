package io.streamrec.app.it;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What an operator sees of the app's consumer group from outside, through the admin API: which instance's members
 * own which input partitions (the active tasks; standbys are not consumer assignments), and the lag (end offsets of
 * the input topics minus the group's committed offsets).
 */
final class GroupView implements AutoCloseable {
    private final Admin admin;
    private final String group;
    private final List<String> inputs;

    GroupView(String bootstrap, String group, List<String> inputs) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        this.group = group;
        this.inputs = inputs;
    }

    /** Instance (group.instance.id without the thread suffix) to the partition numbers of its active tasks. */
    Map<String, Set<Integer>> activePartitions() throws Exception {
        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                .get(5, TimeUnit.SECONDS);
        Map<String, Set<Integer>> out = new TreeMap<>();
        for (MemberDescription m : d.members()) {
            String id = m.groupInstanceId().orElse(m.consumerId());
            String instance = id.contains("-") ? id.substring(0, id.lastIndexOf('-')) : id;
            Set<Integer> parts = out.computeIfAbsent(instance, k -> new TreeSet<>());
            for (TopicPartition tp : m.assignment().topicPartitions()) {
                if (inputs.contains(tp.topic())) parts.add(tp.partition());
            }
        }
        return out;
    }

    /** Committed offset per input partition. */
    Map<TopicPartition, Long> committed() throws Exception {
        Map<TopicPartition, Long> out = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        offsets.forEach((tp, om) -> {
            if (om != null && inputs.contains(tp.topic())) out.put(tp, om.offset());
        });
        return out;
    }

    /** Records in the input topics not yet committed by the group. */
    long lag() throws Exception {
        Map<TopicPartition, Long> committed = committed();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (String t : inputs) {
            int n = admin.describeTopics(List.of(t)).allTopicNames().get(5, TimeUnit.SECONDS).get(t).partitions().size();
            for (int p = 0; p < n; p++) request.put(new TopicPartition(t, p), OffsetSpec.latest());
        }
        long lag = 0;
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e
                : admin.listOffsets(request).all().get(5, TimeUnit.SECONDS).entrySet()) {
            lag += e.getValue().offset() - committed.getOrDefault(e.getKey(), 0L);
        }
        return lag;
    }

    @Override
    public void close() {
        admin.close();
    }
}
