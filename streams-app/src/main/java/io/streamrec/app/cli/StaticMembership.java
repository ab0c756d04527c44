package io.streamrec.app.cli;

import io.streamrec.app.config.AppConfig;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * A stable {@code group.instance.id} for {@code run} when none is configured (Kafka static membership): derived from
 * the host name and the state directory, so the same process restarted on the same state (a crash, {@code kill -9},
 * a redeploy) is recognised by the group coordinator and gets its partitions back at once, instead of the group
 * waiting out the dead member's {@code session.timeout.ms} (45 s by default) before a rebalance.
 *
 * <p>The trade-off: an instance that never comes back keeps its partitions unprocessed for {@code session.timeout.ms}
 * before they move (without static membership they move then too, but a restarted instance waits as long), and a
 * clean stop does not leave the group either. Two processes on one host need two state directories anyway (Kafka
 * Streams locks it), so they get different ids. {@code run --dynamic-membership} turns this off; an explicit
 * {@code group.instance.id} (as the Kubernetes manifests set per pod) wins.
 */
final class StaticMembership {
    private StaticMembership() {}

    /** {@code config} with a derived {@code group.instance.id}, unless one is set (also behind a consumer prefix). */
    static AppConfig apply(AppConfig config) {
        String key = ConsumerConfig.GROUP_INSTANCE_ID_CONFIG;
        Map<String, String> passthrough = config.passthrough();
        if (passthrough.containsKey(key) || passthrough.containsKey(StreamsConfig.CONSUMER_PREFIX + key)
                || passthrough.containsKey(StreamsConfig.MAIN_CONSUMER_PREFIX + key)) {
            return config;
        }
        Map<String, String> all = new HashMap<>(passthrough);
        all.putAll(config.values());
        all.put(key, instanceId(hostName(), config.stateDir(), config.applicationId()));
        return AppConfig.of(all);
    }

    /** {@code <host>-<first 12 hex digits of SHA-256(application id, absolute state dir)>}, legal in a group id. */
    static String instanceId(String host, Path stateDir, String applicationId) {
        String h = host == null || host.isBlank() ? "host" : host.replaceAll("[^A-Za-z0-9._-]", "_");
        if (h.length() > 64) h = h.substring(0, 64);
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((applicationId + "\n"
                    + stateDir.toAbsolutePath().normalize()).getBytes(StandardCharsets.UTF_8));
            return h + "-" + HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env;
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "host";
        }
    }
}
