package io.streamrec.app.config;

import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * A legal Kafka topic name: 1 to 249 of {@code a-z A-Z 0-9 . _ -}, not {@code .} or {@code ..} (the broker's rule).
 * Also what {@code application.id} must be, as it prefixes the internal topics. Kafka's own check
 * ({@code org.apache.kafka.common.internals.Topic}) is internal API, so the rule is restated here.
 */
final class TopicNameValidator implements ConfigDef.Validator {
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private final boolean emptyMeansOff;

    TopicNameValidator() {
        this(false);
    }

    /** With {@code emptyMeansOff}, an empty value is also valid: the feature the topic serves is off. */
    TopicNameValidator(boolean emptyMeansOff) {
        this.emptyMeansOff = emptyMeansOff;
    }

    @Override
    public void ensureValid(String name, Object value) {
        String s = (String) value;
        if (emptyMeansOff && "".equals(s)) return;
        if (s == null || !LEGAL.matcher(s).matches() || s.equals(".") || s.equals("..")) {
            throw new ConfigException(name, value, "not a legal Kafka topic name (" + this + ")");
        }
    }

    @Override
    public String toString() {
        return (emptyMeansOff ? "empty (off) or " : "") + "1 to 249 of a-z A-Z 0-9 . _ -";
    }
}
