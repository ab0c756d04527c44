package io.streamrec.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;

/**
 * Turns Kafka's loggers (broker, controller and clients) down to WARN.
 *
 * <p>A starting broker alone logs ~2000 INFO lines (every config value, every internal thread), which buries the
 * output of a test or of the demo. The project logs through slf4j-simple, which reads
 * {@code org.slf4j.simpleLogger.log.<name>} system properties whenever a logger is created; the broker's loggers are
 * created as its classes start, so setting the properties just before is enough. Loggers that already exist keep their
 * level. A level the user chose wins: we only set a name that is neither a system property nor in
 * {@code simplelogger.properties}, and more specific names (e.g. {@code org.apache.kafka.streams}) still take
 * precedence over these prefixes.
 */
public final class KafkaLogging {

    private static final String PREFIX = "org.slf4j.simpleLogger.log.";
    private static final String LEVEL = "warn";

    /** Scala broker code lives in {@code kafka.*}; everything else is under {@code org.apache.kafka}. */
    private static final List<String> KAFKA_LOGGERS = List.of("kafka", "state.change.logger", "org.apache.kafka");

    private KafkaLogging() {
    }

    static synchronized void quiet() {
        for (String name : KAFKA_LOGGERS) {
            quiet(name, LEVEL);
        }
    }

    /**
     * Sets one logger (and those under it) to {@code level} unless the user chose a level for it; only loggers created
     * after the call follow it.
     */
    public static synchronized void quiet(String logger, String level) {
        String key = PREFIX + logger;
        if (System.getProperty(key) == null && !simpleLoggerProperties().containsKey(key)) {
            System.setProperty(key, level);
        }
    }

    private static Properties simpleLoggerProperties() {
        Properties props = new Properties();
        try (InputStream in = KafkaLogging.class.getClassLoader().getResourceAsStream("simplelogger.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            // Unreadable file: slf4j-simple will not read it either, so nothing to respect.
        }
        return props;
    }
}
