package io.streamrec.app.config;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One configuration key of the streams app: its name, its default (as written in a properties file), what it means
 * and which values are allowed. {@link AppConfig#SETTINGS} lists them all; {@code docs/configuration.md} is rendered
 * from that list.
 *
 * @param key the property name, e.g. {@code recommend.k}
 * @param defaultValue the value used when the key is not set
 * @param doc what the setting does, one or two sentences of Markdown
 * @param validator which values are allowed
 */
public record Setting(String key, String defaultValue, String doc, Validator validator) {

    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(doc, "doc");
        Objects.requireNonNull(validator, "validator");
        String problem = validator.check(defaultValue.trim());
        if (problem != null) {
            throw new IllegalArgumentException("default of " + key + " (" + defaultValue + ") is invalid: " + problem);
        }
    }

    /** Checks one value. */
    public interface Validator {

        /** {@code null} if {@code value} (already trimmed) is allowed, else why not, e.g. "must be an integer". */
        String check(String value);

        /** What is allowed, for the documentation and error messages, e.g. "integer in [1, 1000]". */
        String describe();

        /** An integer in {@code [min, max]}. */
        static Validator intRange(int min, int max) {
            return new Validator() {
                @Override
                public String check(String value) {
                    int v;
                    try {
                        v = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        return "not an integer; allowed: " + describe();
                    }
                    return v < min || v > max ? "out of range; allowed: " + describe() : null;
                }

                @Override
                public String describe() {
                    return "integer in [" + min + ", " + max + "]";
                }
            };
        }

        /** A 64-bit integer in {@code [min, max]}. */
        static Validator longRange(long min, long max) {
            return new Validator() {
                @Override
                public String check(String value) {
                    long v;
                    try {
                        v = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        return "not an integer; allowed: " + describe();
                    }
                    return v < min || v > max ? "out of range; allowed: " + describe() : null;
                }

                @Override
                public String describe() {
                    return max == Long.MAX_VALUE ? "integer >= " + min : "integer in [" + min + ", " + max + "]";
                }
            };
        }

        /** Exactly one of {@code allowed} (case-sensitive). */
        static Validator oneOf(String... allowed) {
            List<String> values = List.of(allowed);
            return new Validator() {
                @Override
                public String check(String value) {
                    return values.contains(value) ? null : "allowed: " + describe();
                }

                @Override
                public String describe() {
                    return "one of " + String.join(", ", values);
                }
            };
        }

        /** Any non-blank string. */
        static Validator nonEmpty(String what) {
            return new Validator() {
                @Override
                public String check(String value) {
                    return value.isEmpty() ? "must not be empty; allowed: " + describe() : null;
                }

                @Override
                public String describe() {
                    return what;
                }
            };
        }

        /** A legal Kafka topic name (also what {@code application.id} must be, as it prefixes internal topics). */
        static Validator topicName() {
            Pattern legal = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
            return new Validator() {
                @Override
                public String check(String value) {
                    if (!legal.matcher(value).matches() || value.equals(".") || value.equals("..")) {
                        return "not a legal Kafka topic name; allowed: " + describe();
                    }
                    return null;
                }

                @Override
                public String describe() {
                    return "1 to 249 of `a-z A-Z 0-9 . _ -`";
                }
            };
        }

        /** Empty (the feature is off) or a legal Kafka topic name. */
        static Validator optionalTopicName() {
            Validator topic = topicName();
            return new Validator() {
                @Override
                public String check(String value) {
                    return value.isEmpty() ? null : topic.check(value);
                }

                @Override
                public String describe() {
                    return "empty (off) or " + topic.describe();
                }
            };
        }

        /** A comma-separated list of {@code host:port}. */
        static Validator hostPortList() {
            Pattern hostPort = Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[^\\s,:\\[\\]]+):[0-9]{1,5}");
            return new Validator() {
                @Override
                public String check(String value) {
                    for (String part : value.split(",", -1)) {
                        if (!hostPort.matcher(part.trim()).matches()) {
                            return "not a host:port list; allowed: " + describe();
                        }
                    }
                    return null;
                }

                @Override
                public String describe() {
                    return "comma-separated `host:port` list";
                }
            };
        }
    }
}
