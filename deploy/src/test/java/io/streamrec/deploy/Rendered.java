package io.streamrec.deploy;

import io.streamrec.app.config.AppConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One rendered Kustomize directory (base or overlay), with the questions the tests ask of it. */
record Rendered(String name, List<Map<String, Object>> resources) {
    static final String APP = "streamrec";
    static final String APP_CONTAINER = "streamrec";
    /** The node's zone, copied to the pod's labels at binding (PodTopologyLabels), through the downward API. */
    static final String ZONE_LABEL_FIELD = "metadata.labels['topology.kubernetes.io/zone']";
    static final String POD_ZONE = "zone-a";
    /** The Job controller's label on a Job's pods. */
    static final String JOB_NAME_LABEL_FIELD = "metadata.labels['batch.kubernetes.io/job-name']";
    static final String JOB_NAME = "streamrec-trainer-29412180";
    private static final Pattern VAR = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    static Rendered of(String relativeDir) {
        Path dir = Repo.path(relativeDir);
        return new Rendered(relativeDir, Kustomization.render(dir));
    }

    @Override
    public String toString() {
        return name;
    }

    List<Map<String, Object>> all(String kind) {
        return resources.stream().filter(r -> Resources.kind(r).equals(kind)).toList();
    }

    Optional<Map<String, Object>> find(String kind, String name) {
        return all(kind).stream().filter(r -> Resources.name(r).equals(name)).findFirst();
    }

    Map<String, Object> get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError(this.name + ": no " + kind + "/" + name));
    }

    String namespace() {
        return resources.stream().map(r -> (String) Resources.metadata(r).get("namespace"))
                .filter(ns -> ns != null).findFirst().orElse("default");
    }

    Map<String, Object> app() {
        return get("StatefulSet", APP);
    }

    Map<String, Object> appContainer() {
        return container(app(), APP_CONTAINER);
    }

    static Map<String, Object> container(Map<String, Object> workload, String name) {
        return Resources.containers(workload).stream().filter(c -> name.equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError(Resources.id(workload) + ": no container " + name));
    }

    /** The pod-spec volume or claim template a container's mount refers to. */
    Map<String, Object> volumeOf(Map<String, Object> workload, Map<String, Object> container, String mountPath) {
        Map<String, Object> mount = Resources.maps(container.get("volumeMounts"), "volumeMounts").stream()
                .filter(m -> mountPath.equals(m.get("mountPath"))).findFirst()
                .orElseThrow(() -> new AssertionError(Resources.id(workload) + ": nothing mounted at " + mountPath));
        String volume = (String) mount.get("name");
        for (Map<String, Object> v : volumes(workload)) {
            if (volume.equals(v.get("name"))) {
                return v;
            }
        }
        throw new AssertionError(Resources.id(workload) + ": mount " + mountPath + " names no volume " + volume);
    }

    /** Pod volumes plus, for a StatefulSet, its claim templates as {name, persistentVolumeClaimTemplate}. */
    static List<Map<String, Object>> volumes(Map<String, Object> workload) {
        List<Map<String, Object>> all = new ArrayList<>(
                Resources.maps(Resources.podSpec(workload).orElseThrow().get("volumes"), "volumes"));
        Resources.at(workload, "spec.volumeClaimTemplates").ifPresent(list -> {
            for (Map<String, Object> t : Resources.maps(list, "volumeClaimTemplates")) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("name", Resources.metadata(t).get("name"));
                v.put("persistentVolumeClaimTemplate", t);
                all.add(v);
            }
        });
        return all;
    }

    /** A container's environment as the kubelet builds it for pod {@code podName} (secrets as placeholders). */
    Map<String, String> environment(Map<String, Object> container, String podName) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, Object> e : Resources.maps(container.get("env"), "env")) {
            String name = (String) e.get("name");
            if (e.containsKey("value")) {
                env.put(name, expand(String.valueOf(e.get("value")), env));
                continue;
            }
            Map<String, Object> from = YamlFiles.asMap(e.get("valueFrom"), "env " + name);
            if (from.containsKey("fieldRef")) {
                String field = (String) YamlFiles.asMap(from.get("fieldRef"), name).get("fieldPath");
                env.put(name, switch (field) {
                    case "metadata.name" -> podName;
                    case "metadata.namespace" -> namespace();
                    case ZONE_LABEL_FIELD -> POD_ZONE;
                    case JOB_NAME_LABEL_FIELD -> JOB_NAME;
                    default -> throw new AssertionError("env " + name + ": unexpected fieldRef " + field);
                });
            } else if (from.containsKey("secretKeyRef")) {
                Map<String, Object> ref = YamlFiles.asMap(from.get("secretKeyRef"), name);
                env.put(name, "secret-" + ref.get("name") + "-" + ref.get("key"));
            } else {
                throw new AssertionError("env " + name + ": unexpected source " + from.keySet());
            }
        }
        return env;
    }

    /** Kubernetes' $(VAR) expansion of command and args; a reference to an undefined variable is an error here. */
    static String expand(String text, Map<String, String> env) {
        Matcher m = VAR.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            if (m.start() > 0 && text.charAt(m.start() - 1) == '$') {
                continue; // $$(VAR) is an escaped literal
            }
            String value = env.get(m.group(1));
            if (value == null) {
                throw new AssertionError("$(" + m.group(1) + ") is not defined in the container's env: " + text);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The streams-app container's arguments for pod {@code podName}, variables expanded. */
    List<String> appArgs(String podName) {
        Map<String, Object> c = appContainer();
        Map<String, String> env = environment(c, podName);
        return Resources.list(c, "args").stream().map(a -> expand(String.valueOf(a), env)).toList();
    }

    /** The app's configuration in pod {@code podName}: the mounted ConfigMap file plus the -D arguments. */
    AppConfig appConfig(String podName) {
        Map<String, String> files = new LinkedHashMap<>();
        Map<String, Object> c = appContainer();
        for (Map<String, Object> mount : Resources.maps(c.get("volumeMounts"), "volumeMounts")) {
            Map<String, Object> v = volumeOf(app(), c, (String) mount.get("mountPath"));
            if (v.containsKey("configMap")) {
                String cm = (String) YamlFiles.asMap(v.get("configMap"), "configMap").get("name");
                Map<String, Object> data = Resources.map(get("ConfigMap", cm), "data");
                data.forEach((file, text) -> files.put(mount.get("mountPath") + "/" + file,
                        withSecretMountsProvider(String.valueOf(text), secretMounts(c))));
            }
        }
        return Cli.runConfig(appArgs(podName), files);
    }

    /** Where the container mounts Secrets: mount path to "SECRET:KEY1,KEY2" (or "SECRET:*" for every key). */
    Map<String, String> secretMounts(Map<String, Object> container) {
        Map<String, String> mounts = new LinkedHashMap<>();
        for (Map<String, Object> mount : Resources.maps(container.get("volumeMounts"), "volumeMounts")) {
            Map<String, Object> v = volumeOf(app(), container, (String) mount.get("mountPath"));
            if (v.get("secret") instanceof Map<?, ?> secret) {
                Object items = secret.get("items");
                String keys = items == null ? "*" : String.join(",", Resources.maps(items, "items").stream()
                        .map(i -> String.valueOf(i.get("path"))).toList());
                mounts.put((String) mount.get("mountPath"), secret.get("secretName") + ":" + keys);
            }
        }
        return mounts;
    }

    /**
     * The properties text with every config provider replaced by {@link SecretMountsConfigProvider} over the
     * container's Secret mounts (its allowed.paths kept), after checking it is Kafka's DirectoryConfigProvider.
     */
    private static String withSecretMountsProvider(String text, Map<String, String> mounts) {
        java.util.Properties p = new java.util.Properties();
        try {
            p.load(new java.io.StringReader(text));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String providers = p.getProperty("config.providers");
        if (providers == null) {
            return text;
        }
        for (String name : providers.split(",")) {
            String prefix = "config.providers." + name.trim() + ".";
            String cls = p.getProperty(prefix + "class");
            if (!DIRECTORY_PROVIDER.equals(cls)) {
                throw new AssertionError("config provider " + name + " is " + cls + ", expected " + DIRECTORY_PROVIDER);
            }
            p.setProperty(prefix + "class", SecretMountsConfigProvider.class.getName());
            p.setProperty(prefix + "param." + SecretMountsConfigProvider.MOUNTS, String.join(";",
                    mounts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        java.io.StringWriter out = new java.io.StringWriter();
        try {
            p.store(out, null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }

    static final String DIRECTORY_PROVIDER = "org.apache.kafka.common.config.provider.DirectoryConfigProvider";

    /** The autoscaler of the StatefulSet: the HPA or KEDA's ScaledObject (exactly one). */
    Map<String, Object> autoscaler() {
        List<Map<String, Object>> scalers = new ArrayList<>();
        for (Map<String, Object> hpa : all("HorizontalPodAutoscaler")) {
            if (targetsApp(Resources.map(hpa, "spec.scaleTargetRef"))) {
                scalers.add(hpa);
            }
        }
        for (Map<String, Object> so : all("ScaledObject")) {
            if (targetsApp(Resources.map(so, "spec.scaleTargetRef"))) {
                scalers.add(so);
            }
        }
        if (scalers.size() != 1) {
            throw new AssertionError(name + ": expected one autoscaler of the StatefulSet, found "
                    + scalers.stream().map(Resources::id).toList());
        }
        return scalers.get(0);
    }

    static int maxReplicas(Map<String, Object> scaler) {
        return Integer.parseInt(Resources.string(scaler,
                Resources.kind(scaler).equals("ScaledObject") ? "spec.maxReplicaCount" : "spec.maxReplicas"));
    }

    static int minReplicas(Map<String, Object> scaler) {
        return Integer.parseInt(Resources.string(scaler,
                Resources.kind(scaler).equals("ScaledObject") ? "spec.minReplicaCount" : "spec.minReplicas"));
    }

    private static boolean targetsApp(Map<String, Object> ref) {
        return "StatefulSet".equals(ref.get("kind")) && APP.equals(ref.get("name"))
                && "apps/v1".equals(ref.get("apiVersion"));
    }
}
