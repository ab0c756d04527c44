package io.streamrec.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The part of Kubernetes' strategic merge patch that the overlays use, with kubectl's semantics: mappings merge
 * recursively, {@code null} removes a key, lists of containers, env, volumes, volume mounts and ports merge by
 * their merge key (an element with {@code $patch: delete} removes its match), every other list is replaced.
 */
final class StrategicMerge {
    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name",
            "initContainers", "name",
            "env", "name",
            "volumes", "name",
            "volumeMounts", "mountPath",
            "imagePullSecrets", "name");

    private StrategicMerge() {
    }

    /** Applies {@code patch} to {@code target} in place. */
    static void apply(Map<String, Object> target, Map<String, Object> patch) {
        mergeMap(target, patch, "");
    }

    private static void mergeMap(Map<String, Object> target, Map<String, Object> patch, String path) {
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("$")) {
                if (!key.equals("$patch")) {
                    throw new IllegalArgumentException(path + ": directive " + key + " is not supported by this renderer");
                }
                continue;
            }
            Object value = e.getValue();
            String at = path + "." + key;
            if (value == null) {
                target.remove(key);
            } else if (!target.containsKey(key)) {
                target.put(key, YamlFiles.copy(value));
            } else {
                target.put(key, merge(target.get(key), value, key, at));
            }
        }
    }

    private static Object merge(Object target, Object patch, String field, String path) {
        if (target instanceof Map<?, ?> && patch instanceof Map<?, ?>) {
            mergeMap(YamlFiles.asMap(target, path), YamlFiles.asMap(patch, path), path);
            return target;
        }
        if (target instanceof List<?> && patch instanceof List<?> patchList) {
            String key = mergeKey(field, patchList);
            if (key != null) {
                mergeList(YamlFiles.asList(target, path), YamlFiles.asList(patch, path), key, path);
                return target;
            }
        }
        return YamlFiles.copy(patch);
    }

    /** Ports merge on containerPort in a pod and on port in a Service, as in the Kubernetes API. */
    private static String mergeKey(String field, List<?> patch) {
        if (field.equals("ports")) {
            return patch.stream().allMatch(p -> p instanceof Map<?, ?> m && m.containsKey("containerPort"))
                    ? "containerPort" : "port";
        }
        return MERGE_KEYS.get(field);
    }

    /** New elements go first, in the patch's order, as kubectl places them. */
    private static void mergeList(List<Object> target, List<Object> patch, String key, String path) {
        List<Object> added = new ArrayList<>();
        for (Object p : patch) {
            Map<String, Object> element = YamlFiles.asMap(p, path + "[]");
            Object id = element.get(key);
            if (id == null) {
                throw new IllegalArgumentException(path + ": patch element without merge key " + key + ": " + element);
            }
            Map<String, Object> match = null;
            for (Object t : target) {
                Map<String, Object> candidate = YamlFiles.asMap(t, path + "[]");
                if (Objects.equals(String.valueOf(candidate.get(key)), String.valueOf(id))) {
                    match = candidate;
                }
            }
            boolean delete = "delete".equals(element.get("$patch"));
            if (delete) {
                if (match == null) {
                    throw new IllegalArgumentException(path + ": nothing to delete with " + key + "=" + id);
                }
                target.remove(match);
            } else if (match != null) {
                mergeMap(match, element, path + "[" + key + "=" + id + "]");
            } else {
                added.add(YamlFiles.copy(element));
            }
        }
        target.addAll(0, added);
    }
}
