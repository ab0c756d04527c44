package io.streamrec.app.config;

import java.util.List;

/**
 * The configuration is unusable: an unknown key, a value that does not parse or is out of range, or settings that
 * contradict each other. Thrown at start-up by {@link AppConfig}; the message names every offending key, the value
 * found and what is allowed, one problem per line, e.g.
 *
 * <pre>
 * Invalid configuration:
 *   recommend.k = 50: must be at most recommend.candidates (20)
 *   recomend.k: unknown key (not a streamrec setting, nor a Kafka Streams, consumer, producer or admin client
 *       setting); did you mean recommend.k?
 * </pre>
 */
public class ConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    public ConfigurationException(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, each starting with the key concerned. */
    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        if (problems.size() == 1) {
            return "Invalid configuration: " + problems.get(0);
        }
        StringBuilder sb = new StringBuilder("Invalid configuration:");
        for (String p : problems) {
            sb.append("\n  ").append(p);
        }
        return sb.toString();
    }
}
