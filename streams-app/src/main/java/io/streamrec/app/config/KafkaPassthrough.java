package io.streamrec.app.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The keys the app does not own but hands to Kafka Streams unchanged, judged by Kafka's own {@link ConfigDef}s (Kafka
 * Streams, producer, consumer, admin client): which keys pass, which values parse, and which are secrets
 * ({@link ConfigDef.Type#PASSWORD}).
 *
 * <p>A key passes if one of those definitions has it, if it is such a key behind a client prefix
 * ({@code producer.}, {@code consumer.}, {@code main.consumer.}, {@code restore.consumer.}, {@code global.consumer.},
 * {@code admin.}), if it starts with {@code sasl.}, {@code ssl.}, {@code client.tag.} or {@code config.providers.} (also behind a client
 * prefix), or if it is
 * {@code topic.}<i>name</i> for a Kafka topic setting <i>name</i>.
 */
final class KafkaPassthrough {
    /** {@code config.providers.<name>.class} and {@code config.providers.<name>.param.<param>}. */
    static final String CONFIG_PROVIDERS_PREFIX = AbstractConfig.CONFIG_PROVIDERS_CONFIG + ".";

    /** Client prefix → the definition of the client it configures. */
    private static final Map<String, ConfigDef> CLIENT_PREFIXES = definitionsByPrefix();

    /**
     * Prefixes passed on whatever follows (SASL/TLS extensions, rack-aware assignment tags, the classes and
     * parameters of the config providers named by {@code config.providers}, which resolve {@code ${provider:path:key}}
     * references, e.g. secrets from mounted files, when Kafka parses the configuration).
     */
    static final List<String> OPEN_PREFIXES = List.of("sasl.", "ssl.", StreamsConfig.CLIENT_TAG_PREFIX,
            CONFIG_PROVIDERS_PREFIX);

    /** Kafka Streams first: it defines most shared keys and is what finally parses them. */
    private static final List<ConfigDef> DEFINITIONS = List.of(StreamsConfig.configDef(),
            ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef());

    /** Every unprefixed key Kafka defines, sorted (the candidates for "did you mean"). */
    static final Set<String> KEYS = kafkaKeys();

    private static final Set<String> TOPIC_CONFIGS = topicConfigNames();

    private KafkaPassthrough() {
    }

    /** The client prefixes, in documentation order. */
    static List<String> clientPrefixes() {
        return List.copyOf(CLIENT_PREFIXES.keySet());
    }

    /** Whether Kafka Streams would make use of {@code key}. */
    static boolean accepts(String key) {
        if (KEYS.contains(key) || isTopicConfig(key)) {
            return true;
        }
        String base = baseName(key);
        for (String prefix : OPEN_PREFIXES) {
            if (base.startsWith(prefix) && base.length() > prefix.length()) {
                return true;
            }
        }
        return definitionBehindPrefix(key) != null;
    }

    /**
     * For a key behind a client prefix that client does not know, the prefix with the client's nearest key, e.g.
     * {@code producer.linger.ms} for {@code producer.lingr.ms}; else {@code null}.
     */
    static String suggestionBehindPrefix(String key) {
        for (Map.Entry<String, ConfigDef> e : CLIENT_PREFIXES.entrySet()) {
            if (key.startsWith(e.getKey())) {
                String nearest = DidYouMean.closest(key.substring(e.getKey().length()),
                        new TreeSet<>(e.getValue().names()));
                return nearest == null ? null : e.getKey() + nearest;
            }
        }
        return null;
    }

    /**
     * Whether the value of {@code key} must never be shown: Kafka types it {@link ConfigDef.Type#PASSWORD}, or Kafka
     * does not define it at all (an unknown {@code sasl.}/{@code ssl.} extension might hold a secret).
     */
    static boolean isSecret(String key) {
        if (isTopicConfig(key) || key.startsWith(StreamsConfig.CLIENT_TAG_PREFIX)) {
            return false;
        }
        ConfigDef.ConfigKey k = definition(key);
        return k == null || k.type == ConfigDef.Type.PASSWORD;
    }

    /**
     * Parses and validates {@code value} as the definition of {@code key} says; {@code null} if it is fine or Kafka
     * does not define the key, else Kafka's reason.
     */
    static String problem(String key, String value) {
        for (ConfigDef def : definitionsOf(key)) {
            ConfigDef.ConfigKey k = def.configKeys().get(baseName(key));
            try {
                Object parsed = ConfigDef.parseType(key, value, k.type);
                if (k.validator != null) {
                    k.validator.ensureValid(key, parsed);
                }
            } catch (ConfigException e) {
                return e.getMessage();
            }
        }
        return null;
    }

    private static List<ConfigDef> definitionsOf(String key) {
        ConfigDef behindPrefix = definitionBehindPrefix(key);
        if (behindPrefix != null) {
            return List.of(behindPrefix);
        }
        return DEFINITIONS.stream().filter(d -> d.configKeys().containsKey(key)).toList();
    }

    private static ConfigDef.ConfigKey definition(String key) {
        String base = baseName(key);
        for (ConfigDef def : DEFINITIONS) {
            ConfigDef.ConfigKey k = def.configKeys().get(base);
            if (k != null) {
                return k;
            }
        }
        return null;
    }

    private static ConfigDef definitionBehindPrefix(String key) {
        for (Map.Entry<String, ConfigDef> e : CLIENT_PREFIXES.entrySet()) {
            if (key.startsWith(e.getKey()) && e.getValue().configKeys().containsKey(key.substring(e.getKey().length()))) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String baseName(String key) {
        for (String prefix : CLIENT_PREFIXES.keySet()) {
            if (key.startsWith(prefix)) {
                return key.substring(prefix.length());
            }
        }
        return key;
    }

    private static boolean isTopicConfig(String key) {
        return key.startsWith(StreamsConfig.TOPIC_PREFIX)
                && TOPIC_CONFIGS.contains(key.substring(StreamsConfig.TOPIC_PREFIX.length()));
    }

    private static Map<String, ConfigDef> definitionsByPrefix() {
        // longest first where one prefix ends another ("main.consumer." before "consumer.")
        Map<String, ConfigDef> m = new LinkedHashMap<>();
        ConfigDef consumer = ConsumerConfig.configDef();
        m.put(StreamsConfig.MAIN_CONSUMER_PREFIX, consumer);
        m.put(StreamsConfig.RESTORE_CONSUMER_PREFIX, consumer);
        m.put(StreamsConfig.GLOBAL_CONSUMER_PREFIX, consumer);
        m.put(StreamsConfig.CONSUMER_PREFIX, consumer);
        m.put(StreamsConfig.PRODUCER_PREFIX, ProducerConfig.configDef());
        m.put(StreamsConfig.ADMIN_CLIENT_PREFIX, AdminClientConfig.configDef());
        return Collections.unmodifiableMap(m);
    }

    private static Set<String> kafkaKeys() {
        Set<String> keys = new TreeSet<>(StreamsConfig.configDef().names());
        keys.addAll(ProducerConfig.configNames());
        keys.addAll(ConsumerConfig.configNames());
        keys.addAll(AdminClientConfig.configNames());
        return Collections.unmodifiableSet(keys);
    }

    /** Kafka publishes the topic-level setting names only as constants of {@link TopicConfig}. */
    private static Set<String> topicConfigNames() {
        Set<String> names = new HashSet<>();
        for (Field f : TopicConfig.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && f.getName().endsWith("_CONFIG")) {
                try {
                    names.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Collections.unmodifiableSet(names);
    }

    /** {@code message} with the value of every secret in {@code passthrough} replaced by {@code [hidden]}. */
    static String withoutSecrets(String message, Map<String, String> passthrough) {
        String m = message;
        for (Map.Entry<String, String> e : passthrough.entrySet()) {
            if (isSecret(e.getKey()) && !e.getValue().isBlank()) {
                m = m.replace(e.getValue(), "[hidden]").replace(e.getValue().trim(), "[hidden]");
            }
        }
        return m;
    }
}
