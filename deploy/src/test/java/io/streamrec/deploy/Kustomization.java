package io.streamrec.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a Kustomize directory the way {@code kubectl kustomize} does, for the features this repository uses:
 * {@code resources} (files and directories), {@code patches} (strategic merge patch files, {@code $patch: delete}
 * for whole resources), {@code images} and {@code namespace}. Any other field is an error, so a kustomization that
 * starts using more than this cannot pass the tests unchecked.
 */
final class Kustomization {
    static final String FILE = "kustomization.yaml";
    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "patches", "images",
            "namespace");
    /** Kinds without a namespace among those used here. */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace");

    private Kustomization() {
    }

    /** Every file a kustomization (and the ones it includes) names, resolved; they must exist. */
    static List<Path> referencedFiles(Path dir) {
        List<Path> files = new ArrayList<>();
        Map<String, Object> k = load(dir);
        for (Object r : list(k, "resources", dir)) {
            Path p = dir.resolve((String) r).normalize();
            if (Files.isDirectory(p)) {
                files.add(p.resolve(FILE));
                files.addAll(referencedFiles(p));
            } else {
                files.add(p);
            }
        }
        for (Object patch : list(k, "patches", dir)) {
            files.add(dir.resolve(patchPath(patch, dir)).normalize());
        }
        return files;
    }

    /** The rendered resources, in kustomize's order of accumulation. */
    static List<Map<String, Object>> render(Path dir) {
        Map<String, Object> k = load(dir);
        List<Map<String, Object>> resources = new ArrayList<>();
        for (Object r : list(k, "resources", dir)) {
            Path p = dir.resolve((String) r).normalize();
            if (Files.isDirectory(p)) {
                resources.addAll(render(p));
            } else {
                for (Map<String, Object> doc : YamlFiles.documents(p)) {
                    resources.add(YamlFiles.asMap(YamlFiles.copy(doc), p.toString()));
                }
            }
        }
        for (Object patch : list(k, "patches", dir)) {
            Path p = dir.resolve(patchPath(patch, dir)).normalize();
            for (Map<String, Object> doc : YamlFiles.documents(p)) {
                applyPatch(resources, doc, p);
            }
        }
        for (Object image : list(k, "images", dir)) {
            Map<String, Object> rule = YamlFiles.asMap(image, dir + " images");
            String name = (String) rule.get("name");
            String replacement = rule.getOrDefault("newName", name) + ":" + rule.get("newTag");
            resources.forEach(r -> Resources.containers(r).forEach(c -> {
                if (name.equals(imageName((String) c.get("image")))) {
                    c.put("image", replacement);
                }
            }));
        }
        Object namespace = k.get("namespace");
        if (namespace != null) {
            for (Map<String, Object> r : resources) {
                if (!CLUSTER_SCOPED.contains(Resources.kind(r))) {
                    Resources.metadata(r).put("namespace", namespace);
                }
            }
        }
        Set<String> ids = new HashSet<>();
        for (Map<String, Object> r : resources) {
            if (!ids.add(Resources.id(r))) {
                throw new IllegalArgumentException(dir + ": two resources " + Resources.id(r));
            }
        }
        return resources;
    }

    static Map<String, Object> load(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(dir + ": no " + FILE);
        }
        Map<String, Object> k = YamlFiles.document(file);
        for (String key : k.keySet()) {
            if (!SUPPORTED.contains(key)) {
                throw new IllegalArgumentException(file + ": field " + key + " is not supported by the test renderer");
            }
        }
        if (!"Kustomization".equals(k.get("kind"))) {
            throw new IllegalArgumentException(file + ": kind must be Kustomization");
        }
        return k;
    }

    private static void applyPatch(List<Map<String, Object>> resources, Map<String, Object> patch, Path file) {
        String id = Resources.id(patch);
        Map<String, Object> target = null;
        for (Map<String, Object> r : resources) {
            if (Resources.id(r).equals(id)) {
                target = r;
            }
        }
        if (target == null) {
            throw new IllegalArgumentException(file + ": patch target " + id + " is not among the resources");
        }
        if (!String.valueOf(target.get("apiVersion")).equals(String.valueOf(patch.get("apiVersion")))) {
            throw new IllegalArgumentException(file + ": patch of " + id + " has apiVersion " + patch.get("apiVersion")
                    + ", the resource " + target.get("apiVersion"));
        }
        if ("delete".equals(patch.get("$patch"))) {
            resources.remove(target);
        } else {
            StrategicMerge.apply(target, patch);
        }
    }

    private static String patchPath(Object patch, Path dir) {
        Map<String, Object> p = YamlFiles.asMap(patch, dir + " patches");
        if (!p.keySet().equals(Set.of("path"))) {
            throw new IllegalArgumentException(dir + ": only patches with a path are supported, found " + p.keySet());
        }
        return (String) p.get("path");
    }

    private static List<Object> list(Map<String, Object> k, String field, Path dir) {
        Object v = k.get(field);
        return v == null ? List.of() : YamlFiles.asList(v, dir + " " + field);
    }

    private static String imageName(String image) {
        int slash = image.lastIndexOf('/');
        int colon = image.indexOf(':', slash + 1);
        return colon < 0 ? image : image.substring(0, colon);
    }
}
