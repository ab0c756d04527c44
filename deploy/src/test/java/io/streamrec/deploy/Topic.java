package io.streamrec.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A topic as a deployment declares it: a Strimzi KafkaTopic, or a kafka-topics.sh --create line of a script. */
record Topic(String name, int partitions, int replicas, Map<String, String> config) {

    /** Every {@code --topic} line of a shell script that calls kafka-topics.sh (directly or through a function). */
    static Map<String, Topic> fromScript(String script) {
        Map<String, Topic> topics = new LinkedHashMap<>();
        for (String line : script.split("\n")) {
            List<String> words = List.of(line.trim().split("\\s+"));
            int t = words.indexOf("--topic");
            if (t < 0 || line.contains("()")) {
                continue;
            }
            String name = words.get(t + 1);
            int partitions = Integer.parseInt(option(words, "--partitions", line));
            int replicas = Integer.parseInt(option(words, "--replication-factor", line));
            Map<String, String> config = new LinkedHashMap<>();
            for (int i = 0; i < words.size() - 1; i++) {
                if (words.get(i).equals("--config")) {
                    String[] kv = words.get(i + 1).split("=", 2);
                    config.put(kv[0], kv[1]);
                }
            }
            if (topics.put(name, new Topic(name, partitions, replicas, config)) != null) {
                throw new AssertionError("topic " + name + " created twice");
            }
        }
        return topics;
    }

    /** The KafkaTopic resources of a rendering (Strimzi, kafka.strimzi.io/v1beta2), checked for required fields. */
    static Map<String, Topic> fromStrimzi(List<Map<String, Object>> kafkaTopics) {
        Map<String, Topic> topics = new LinkedHashMap<>();
        for (Map<String, Object> r : kafkaTopics) {
            if (!"kafka.strimzi.io/v1beta2".equals(r.get("apiVersion"))) {
                throw new AssertionError(Resources.id(r) + ": apiVersion must be kafka.strimzi.io/v1beta2");
            }
            if (!(Resources.metadata(r).get("labels") instanceof Map<?, ?> labels)
                    || !(labels.get("strimzi.io/cluster") instanceof String)) {
                throw new AssertionError(Resources.id(r) + ": no strimzi.io/cluster label: the operator ignores it");
            }
            Object topicName = Resources.at(r, "spec.topicName").orElse(Resources.name(r));
            Map<String, String> config = new LinkedHashMap<>();
            Resources.at(r, "spec.config").ifPresent(c -> YamlFiles.asMap(c, Resources.id(r))
                    .forEach((k, v) -> config.put(k, String.valueOf(v))));
            topics.put((String) topicName, new Topic((String) topicName,
                    positive(r, "spec.partitions"), positive(r, "spec.replicas"), config));
        }
        return topics;
    }

    boolean compacted() {
        return config.getOrDefault("cleanup.policy", "delete").contains("compact");
    }

    private static int positive(Map<String, Object> r, String path) {
        Object v = Resources.at(r, path).orElseThrow(() -> new AssertionError(Resources.id(r) + ": no " + path));
        if (!(v instanceof Integer i) || i < 1) {
            throw new AssertionError(Resources.id(r) + ": " + path + " must be a positive integer, is " + v);
        }
        return i;
    }

    private static String option(List<String> words, String option, String line) {
        int i = words.indexOf(option);
        if (i < 0 || i + 1 >= words.size()) {
            throw new AssertionError("no " + option + " in: " + line);
        }
        return words.get(i + 1);
    }
}
