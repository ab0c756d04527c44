package io.streamrec.app.config;

import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Renders the app's {@link ConfigDef} as {@code docs/configuration.md}: one table row per key (name, type, default,
 * valid values, importance, description, as Kafka's own {@code toHtml()} has), then how Kafka's settings pass
 * through. Markdown rather than {@code toRst()}/{@code toHtml()} so the docs read well on GitHub.
 */
final class ConfigurationMarkdown {

    private ConfigurationMarkdown() {
    }

    static String render(ConfigDef definition) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Configuration\n\n");
        sb.append("<!-- Generated from the ConfigDef of io.streamrec.app.config.AppConfig by AppConfig#documentation();"
                + " do not edit by hand. ConfigurationDocTest checks it is up to date. -->\n\n");
        sb.append("The streams app reads a Java properties file (UTF-8) and then overrides given on the command line;"
                + " every key not set keeps the default below. The configuration is checked at start-up, and the app"
                + " refuses to start with a message naming each bad key, its value and what is allowed; all problems"
                + " are listed at once, and a misspelt key gets a suggestion.\n\n");
        sb.append("| Key | Type | Default | Valid values | Importance | Description |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (ConfigDef.ConfigKey key : definition.configKeys().values()) {
            sb.append("| `").append(key.name).append("` | ").append(key.type.name().toLowerCase(Locale.ROOT))
                    .append(" | `").append(ConfigDef.convertToString(key.defaultValue, key.type)).append("` | ")
                    .append(cell(key.validator == null ? "" : key.validator.toString())).append(" | ")
                    .append(key.importance.name().toLowerCase(Locale.ROOT)).append(" | ")
                    .append(cell(key.documentation)).append(" |\n");
        }
        sb.append("\n## Kafka settings\n\n");
        sb.append("Any other key Kafka knows is passed to Kafka Streams unchanged, after its value is checked against"
                + " Kafka's own definition: Kafka Streams, producer, consumer and admin client settings (for example"
                + " `security.protocol`, `sasl.mechanism`, `sasl.jaas.config`, `ssl.truststore.location`,"
                + " `num.standby.replicas`, `statestore.cache.max.bytes`), such a client setting behind one of the"
                + " prefixes `").append(String.join("`, `", KafkaPassthrough.clientPrefixes()))
                .append("`, any key starting with `").append(String.join("`, `", KafkaPassthrough.OPEN_PREFIXES))
                .append("`, and `topic.`<i>name</i> for a Kafka topic setting <i>name</i> (applied to the app's"
                        + " internal topics, e.g. `topic.min.insync.replicas`). A key that is neither ours nor"
                        + " Kafka's is an error.\n\n");
        sb.append("Secrets are never printed (not in the start-up log, not in error messages): every key Kafka types"
                + " as a password (`sasl.jaas.config`, `ssl.key.password`, `ssl.keystore.password`,"
                + " `ssl.truststore.password`, ..., also behind a client prefix), and every `sasl.`/`ssl.` key Kafka"
                + " does not define.\n\n");
        sb.append("The app sets these Kafka Streams keys itself, and refuses them in the configuration:"
                + " `deserialization.exception.handler` and the deprecated `default.deserialization.exception.handler`"
                + " (records that cannot be read go to the dead-letter topic), `processing.exception.handler` (records"
                + " a processor fails on go there too, as `processing-error`), and `rocksdb.config.setter` (one"
                + " memory budget for all state stores, see `rocksdb.block.cache.mb`).\n\n");
        sb.append("One Kafka Streams default is changed, and can be set back: `enable.transactional.statestores` is `true`"
                + " (Kafka's default is `false`). The state stores then keep only committed writes (KIP-892), so after a"
                + " crash under exactly-once an instance keeps its local state and replays only what it had not"
                + " committed, instead of wiping every open task's stores and restoring them from the changelogs"
                + " (docs/operations.md, \"Crashes\"). Uncommitted writes wait in memory until the next commit, at most"
                + " `statestore.uncommitted.max.bytes` (64 MB by default) before an early commit.\n\n");
        sb.append("A SASL over TLS connection, for example:\n\n");
        sb.append("```properties\n"
                + "bootstrap.servers=broker-1:9093,broker-2:9093\n"
                + "security.protocol=SASL_SSL\n"
                + "sasl.mechanism=SCRAM-SHA-512\n"
                + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\\n"
                + "    username=\"streamrec\" password=\"...\";\n"
                + "ssl.truststore.location=/etc/streamrec/truststore.p12\n"
                + "ssl.truststore.password=...\n"
                + "```\n");
        return sb.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
