package io.streamrec.tools.publish;

import io.streamrec.app.config.AppConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The Kafka client settings of the app's configuration that a tool's own clients (producer, admin) take. */
public final class KafkaClientSettings {
    private KafkaClientSettings() {}

    /**
     * {@code bootstrap.servers} and every passthrough setting that one of {@code names} defines, or that configures a
     * config provider ({@code config.providers.<name>.class}, {@code .param.*}: the clients resolve
     * {@code ${provider:path:key}} references, e.g. a password read from a mounted Secret, themselves).
     */
    @SafeVarargs
    public static Map<String, Object> of(AppConfig config, Set<String>... names) {
        Map<String, Object> out = new HashMap<>();
        config.passthrough().forEach((k, v) -> {
            boolean known = k.startsWith("config.providers.");
            for (Set<String> n : names) known |= n.contains(k);
            if (known) out.put(k, v);
        });
        out.put("bootstrap.servers", config.bootstrapServers());
        return out;
    }
}
