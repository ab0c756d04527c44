package io.streamrec.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading rendered Kubernetes resources given as plain maps. */
final class Resources {
    private Resources() {
    }

    static String kind(Map<String, Object> r) {
        Object kind = r.get("kind");
        if (!(kind instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("resource without kind: " + r);
        }
        return s;
    }

    static Map<String, Object> metadata(Map<String, Object> r) {
        return YamlFiles.asMap(r.get("metadata"), where(r) + " metadata");
    }

    /** kind/name of a resource, or the name of a part of one (a container, a claim template), for messages. */
    static String where(Map<String, Object> r) {
        Object kind = r.get("kind");
        Object name = r.get("metadata") instanceof Map<?, ?> m ? m.get("name") : r.get("name");
        return (kind != null ? kind + "/" : "") + name;
    }

    static String name(Map<String, Object> r) {
        Object name = metadata(r).get("name");
        if (!(name instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException(kind(r) + " without metadata.name");
        }
        return s;
    }

    /** kind/name, what kustomize matches patches on (within one namespace). */
    static String id(Map<String, Object> r) {
        return kind(r) + "/" + name(r);
    }

    /** The value at a dotted path of mapping keys, if every step exists. */
    static Optional<Object> at(Map<String, Object> r, String path) {
        Object cur = r;
        for (String step : path.split("\\.")) {
            if (!(cur instanceof Map<?, ?> m) || !m.containsKey(step)) {
                return Optional.empty();
            }
            cur = m.get(step);
        }
        return Optional.ofNullable(cur);
    }

    static Map<String, Object> map(Map<String, Object> r, String path) {
        return YamlFiles.asMap(at(r, path).orElseThrow(() -> missing(r, path)), where(r) + " " + path);
    }

    static List<Object> list(Map<String, Object> r, String path) {
        return YamlFiles.asList(at(r, path).orElseThrow(() -> missing(r, path)), where(r) + " " + path);
    }

    static String string(Map<String, Object> r, String path) {
        return String.valueOf(at(r, path).orElseThrow(() -> missing(r, path)));
    }

    /** The pod spec of a workload (StatefulSet, Deployment, Job, CronJob), if it is one. */
    static Optional<Map<String, Object>> podSpec(Map<String, Object> r) {
        String path = switch (kind(r)) {
            case "StatefulSet", "Deployment", "DaemonSet", "ReplicaSet", "Job" -> "spec.template.spec";
            case "CronJob" -> "spec.jobTemplate.spec.template.spec";
            case "Pod" -> "spec";
            default -> null;
        };
        return path == null ? Optional.empty() : Optional.of(map(r, path));
    }

    /** Init containers, then containers, of a workload; none for other kinds. */
    static List<Map<String, Object>> containers(Map<String, Object> r) {
        List<Map<String, Object>> all = new ArrayList<>();
        podSpec(r).ifPresent(spec -> {
            for (String field : List.of("initContainers", "containers")) {
                Object list = spec.get(field);
                if (list != null) {
                    YamlFiles.asList(list, id(r) + " " + field).forEach(c -> all.add(YamlFiles.asMap(c, id(r))));
                }
            }
        });
        return all;
    }

    static List<Map<String, Object>> maps(Object list, String where) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (list != null) {
            YamlFiles.asList(list, where).forEach(o -> out.add(YamlFiles.asMap(o, where)));
        }
        return out;
    }

    private static IllegalArgumentException missing(Map<String, Object> r, String path) {
        return new IllegalArgumentException(where(r) + ": no " + path);
    }
}
