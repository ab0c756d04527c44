package io.streamrec.app.config;

import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * A non-empty {@link ConfigDef.Type#LIST} of {@code host:port} (IPv6 hosts in brackets). Checked without resolving
 * the hosts, unlike Kafka's {@code ClientUtils.parseAndValidateAddresses}: the configuration is valid before the
 * brokers can be reached.
 */
final class HostPortListValidator implements ConfigDef.Validator {
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[^\\s,:\\[\\]]+):[0-9]{1,5}");

    @Override
    public void ensureValid(String name, Object value) {
        List<?> list = (List<?>) value;
        if (list == null || list.isEmpty()) {
            throw new ConfigException(name, value, "not a host:port list: empty");
        }
        for (Object part : list) {
            if (!HOST_PORT.matcher(String.valueOf(part)).matches()) {
                throw new ConfigException(name, value, "not a host:port list: " + part);
            }
        }
    }

    @Override
    public String toString() {
        return "comma-separated host:port list";
    }
}
