package io.streamrec.deploy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.ConfigProvider;

/**
 * Stands in for Kafka's {@code DirectoryConfigProvider} when a rendered pod's configuration is parsed: it resolves
 * {@code ${provider:DIR:KEY}} only when DIR is where the container mounts a Secret holding KEY (and DIR is within the
 * provider's {@code allowed.paths}), to the placeholder {@code secret-NAME-KEY}; anything else fails the parse, so a
 * reference to an unmounted Secret or a missing key fails the test as it would fail the pod.
 */
public final class SecretMountsConfigProvider implements ConfigProvider {
    /** Parameter: {@code DIR=SECRET:KEY1,KEY2;DIR2=SECRET2:*} (every mount of a Secret; * when all keys are mounted). */
    static final String MOUNTS = "mounts";
    static final String ALLOWED_PATHS = "allowed.paths";

    private record Mount(String secret, Set<String> keys) {
    }

    private final Map<String, Mount> mounts = new HashMap<>();
    private List<String> allowed;

    @Override
    public void configure(Map<String, ?> configs) {
        Object spec = configs.get(MOUNTS);
        if (spec != null && !spec.toString().isEmpty()) {
            for (String m : spec.toString().split(";")) {
                String[] dirRest = m.split("=", 2);
                String[] secretKeys = dirRest[1].split(":", 2);
                mounts.put(dirRest[0], new Mount(secretKeys[0], new HashSet<>(List.of(secretKeys[1].split(",")))));
            }
        }
        Object a = configs.get(ALLOWED_PATHS);
        allowed = a == null ? null : List.of(a.toString().split(","));
    }

    @Override
    public ConfigData get(String path) {
        throw new ConfigException("reading every file of " + path + " is not expected");
    }

    @Override
    public ConfigData get(String path, Set<String> keys) {
        if (allowed != null && allowed.stream().noneMatch(a -> path.equals(a) || path.startsWith(a + "/"))) {
            throw new ConfigException(path + " is outside the provider's allowed.paths " + allowed);
        }
        Mount mount = mounts.get(path);
        if (mount == null) {
            throw new ConfigException(path + " is not where the container mounts a Secret; mounts: " + mounts.keySet());
        }
        Map<String, String> data = new HashMap<>();
        for (String key : keys) {
            if (!mount.keys().contains("*") && !mount.keys().contains(key)) {
                throw new ConfigException("Secret " + mount.secret() + " mounted at " + path + " has no key " + key);
            }
            data.put(key, "secret-" + mount.secret() + "-" + key);
        }
        return new ConfigData(data);
    }

    @Override
    public void close() {
    }
}
