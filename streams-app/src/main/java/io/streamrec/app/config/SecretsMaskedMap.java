package io.streamrec.app.config;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An unmodifiable view of passthrough settings whose {@link #toString()} hides the secrets (see
 * {@link KafkaPassthrough#isSecret}), so logging the map, or a failed assertion on it, does not print them.
 */
final class SecretsMaskedMap extends AbstractMap<String, String> {
    private final Map<String, String> settings;

    SecretsMaskedMap(Map<String, String> settings) {
        this.settings = Collections.unmodifiableMap(settings);
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return settings.entrySet();
    }

    @Override
    public String get(Object key) {
        return settings.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return settings.containsKey(key);
    }

    @Override
    public String toString() {
        return settings.entrySet().stream()
                .map(e -> e.getKey() + "=" + (KafkaPassthrough.isSecret(e.getKey()) ? "[hidden]" : e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
