package io.streamrec.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.streamrec.app.RecommenderInstance;
import io.streamrec.app.http.Health;
import io.streamrec.app.config.AppConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Kustomize base and overlays: every file parses and is used, each rendering matches the Kubernetes API, and
 * the deployment keeps the promises docs/operations.md makes (non-root, read-only, state per pod, static
 * membership, standby replicas, graceful shutdown, probes on /health, autoscaling capped by partitions, ...).
 */
class KubernetesManifestsTest {
    /** The renderings that deploy the app. */
    private static final List<String> APP_KUSTOMIZATIONS = List.of("k8s/base", "k8s/overlays/dev", "k8s/overlays/prod");
    /** The prod topics and Kafka user, applied in the Kafka cluster's namespace. */
    static final String PROD_KAFKA = "k8s/overlays/prod/kafka";
    private static final List<String> KUSTOMIZATIONS = List.of("k8s/base", "k8s/overlays/dev", "k8s/overlays/prod",
            PROD_KAFKA);
    private static final Map<String, Rendered> RENDERED = new LinkedHashMap<>();
    /** API groups of the custom resources used, with the kinds each may hold; checked structurally below. */
    private static final Map<String, Set<String>> CUSTOM_KINDS = Map.of(
            "kafka.strimzi.io/v1beta2", Set.of("KafkaTopic", "KafkaUser"),
            "keda.sh/v1alpha1", Set.of("ScaledObject", "TriggerAuthentication"),
            "monitoring.coreos.com/v1", Set.of("ServiceMonitor"));
    /**
     * Secrets the manifests use but do not create: the credentials the operator creates (docs/operations.md) and
     * the cluster CA certificate Strimzi creates for the Kafka cluster "events".
     */
    private static final Set<String> EXTERNAL_SECRETS = Set.of("streamrec-kafka-credentials", "events-cluster-ca-cert",
            "streamrec-api-tokens");

    static synchronized Rendered rendered(String dir) {
        return RENDERED.computeIfAbsent(dir, Rendered::of);
    }

    static Stream<Rendered> all() {
        return APP_KUSTOMIZATIONS.stream().map(KubernetesManifestsTest::rendered);
    }

    static Stream<Rendered> overlays() {
        return Stream.of(rendered("k8s/overlays/dev"), rendered("k8s/overlays/prod"));
    }

    // ---- files ----

    @Test
    void everyYamlFileParsesAndEveryOneIsUsedByAKustomization() throws IOException {
        Set<Path> referenced = new HashSet<>();
        for (String k : KUSTOMIZATIONS) {
            referenced.add(Repo.path(k).resolve(Kustomization.FILE));
            for (Path p : Kustomization.referencedFiles(Repo.path(k))) {
                assertTrue(Files.isRegularFile(p), k + " refers to " + p + ", which does not exist");
                referenced.add(p);
            }
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Repo.path("k8s"))) {
            files = walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).toList();
        }
        assertTrue(files.size() >= 20, "found only " + files);
        for (Path f : files) {
            List<Map<String, Object>> docs = YamlFiles.documents(f);
            assertFalse(docs.isEmpty(), f + " is empty");
            for (Map<String, Object> d : docs) {
                assertNotNull(d.get("apiVersion"), f + ": a document without apiVersion");
                if (!f.getFileName().toString().equals(Kustomization.FILE)) {
                    Resources.name(d);
                }
            }
            assertTrue(referenced.contains(f.normalize()), f + " is not used by any kustomization");
        }
    }

    // ---- API schema ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void everyResourceMatchesTheKubernetesApiOrAKnownCustomResource(Rendered r) {
        int builtIn = 0;
        for (Map<String, Object> resource : r.resources()) {
            String apiVersion = String.valueOf(resource.get("apiVersion"));
            Set<String> custom = CUSTOM_KINDS.get(apiVersion);
            if (custom != null) {
                assertTrue(custom.contains(Resources.kind(resource)), r + ": unexpected " + apiVersion + " "
                        + Resources.id(resource));
                assertTrue(resource.get("spec") instanceof Map<?, ?>, Resources.id(resource) + ": no spec");
            } else {
                HasMetadata typed = ApiSchema.typed(resource);
                assertEquals(Resources.name(resource), typed.getMetadata().getName());
                builtIn++;
            }
        }
        assertTrue(builtIn >= 10, r + ": only " + builtIn + " built-in resources");
    }

    @Test
    void theSchemaCheckRejectsAnUnknownFieldAndAWrongType() {
        assertTrue(ApiSchema.typed(rendered("k8s/base").app()) instanceof StatefulSet);
        Map<String, Object> misspelt = YamlFiles.asMap(YamlFiles.copy(rendered("k8s/base").app()), "copy");
        Resources.map(misspelt, "spec.template.spec").put("terminationGracePeriodSecond", 60);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> ApiSchema.typed(misspelt));
        assertTrue(unknown.getMessage().contains("spec.template.spec.terminationGracePeriodSecond"), unknown.getMessage());
        Map<String, Object> wrongType = YamlFiles.asMap(YamlFiles.copy(rendered("k8s/base").app()), "copy");
        Resources.map(wrongType, "spec").put("replicas", "two");
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> ApiSchema.typed(wrongType));
        assertTrue(type.getMessage().contains("StatefulSet/streamrec"), type.getMessage());
    }

    // ---- pods ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void everyPodRunsAsNonRootAndOurContainersHaveReadOnlyRootsAndLimits(Rendered r) {
        for (Map<String, Object> workload : r.resources()) {
            if (Resources.podSpec(workload).isEmpty()) {
                continue;
            }
            String id = r + " " + Resources.id(workload);
            Map<String, Object> pod = Resources.podSpec(workload).orElseThrow();
            Map<String, Object> podSecurity = YamlFiles.asMap(pod.get("securityContext"), id + " securityContext");
            assertEquals(Boolean.TRUE, podSecurity.get("runAsNonRoot"), id + ": runAsNonRoot");
            assertTrue(((Integer) podSecurity.get("runAsUser")) > 0, id + ": runAsUser");
            for (Map<String, Object> c : Resources.containers(workload)) {
                String cid = id + " container " + c.get("name");
                Map<String, Object> sec = YamlFiles.asMap(c.get("securityContext"), cid + " securityContext");
                assertEquals(Boolean.FALSE, sec.get("allowPrivilegeEscalation"), cid);
                assertEquals(List.of("ALL"), Resources.at(sec, "capabilities.drop").orElse(null), cid + " drops ALL");
                Map<String, Object> resources = YamlFiles.asMap(c.get("resources"), cid + " resources");
                Map<String, Object> requests = YamlFiles.asMap(resources.get("requests"), cid + " requests");
                Map<String, Object> limits = YamlFiles.asMap(resources.get("limits"), cid + " limits");
                assertNotNull(requests.get("cpu"), cid + " cpu request");
                assertNotNull(limits.get("memory"), cid + " memory limit");
                assertTrue(bytes(requests.get("memory")) <= bytes(limits.get("memory")), cid + " memory request > limit");
                if (isOurs(c)) {
                    assertEquals(Boolean.TRUE, sec.get("readOnlyRootFilesystem"), cid + " readOnlyRootFilesystem");
                    if (!c.containsKey("command") || "java".equals(Resources.list(c, "command").get(0))) { // runs java
                        // RocksDB and ONNX Runtime unpack native libraries into java.io.tmpdir
                        Map<String, Object> tmp = r.volumeOf(workload, c, "/tmp");
                        assertTrue(tmp.containsKey("emptyDir"), cid + ": /tmp must be a writable emptyDir");
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void theStatefulSetKeepsStatePerPodBehindAHeadlessService(Rendered r) {
        Map<String, Object> sts = r.app();
        AppConfig config = r.appConfig("streamrec-0");
        Map<String, Object> state = r.volumeOf(sts, r.appContainer(), config.stateDir().toString());
        assertTrue(state.containsKey("persistentVolumeClaimTemplate"),
                r + ": state.dir " + config.stateDir() + " must be on a volumeClaimTemplate, is " + state);
        assertEquals(List.of("ReadWriteOnce"),
                Resources.list(YamlFiles.asMap(state.get("persistentVolumeClaimTemplate"), "t"), "spec.accessModes"));
        Map<String, Object> headless = r.get("Service", Resources.string(sts, "spec.serviceName"));
        assertEquals("None", Resources.string(headless, "spec.clusterIP"), r + ": the StatefulSet's Service must be headless");
        Map<String, Object> podLabels = Resources.map(sts, "spec.template.metadata.labels");
        assertEquals(Resources.map(sts, "spec.selector.matchLabels"), podLabels);
        for (Map<String, Object> service : r.all("Service")) {
            if (Resources.name(service).startsWith(Rendered.APP)) {
                Map<String, Object> selector = Resources.map(service, "spec.selector");
                assertTrue(podLabels.entrySet().containsAll(selector.entrySet()), Resources.id(service) + " selects no app pod");
                for (Map<String, Object> port : Resources.maps(Resources.list(service, "spec.ports"), "ports")) {
                    assertEquals(config.httpPort(), containerPort(r.appContainer(), port.get("targetPort")),
                            Resources.id(service) + " targets the HTTP port");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void probesAskTheirOwnEndpointsOnTheHttpPort(Rendered r) {
        Map<String, Object> c = r.appContainer();
        int httpPort = r.appConfig("streamrec-0").httpPort();
        Map<String, String> expected = Map.of("startupProbe", Health.STARTED, "readinessProbe", Health.READY,
                "livenessProbe", Health.LIVE);
        expected.forEach((probe, path) -> {
            Map<String, Object> get = Resources.map(c, probe + ".httpGet");
            assertEquals(path, get.get("path"), r + " " + probe);
            assertEquals(httpPort, containerPort(c, get.get("port")), r + " " + probe + " port");
        });
        // liveness tolerates a minute of failures: an overloaded JVM is not restarted on one slow answer
        int period = (Integer) Resources.at(c, "livenessProbe.periodSeconds").orElse(10);
        int failures = (Integer) Resources.at(c, "livenessProbe.failureThreshold").orElse(3);
        assertTrue(period * failures >= 60, r + ": liveness gives up after " + period * failures + " s");
        // readiness reacts within seconds (a pod closing or failing leaves the Service quickly)
        int readyPeriod = (Integer) Resources.at(c, "readinessProbe.periodSeconds").orElse(10);
        int readyFailures = (Integer) Resources.at(c, "readinessProbe.failureThreshold").orElse(3);
        assertTrue(readyPeriod * readyFailures <= 15, r + ": readiness takes " + readyPeriod * readyFailures + " s");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void theGracePeriodOutlastsThePreStopPauseAndTheCloseTimeout(Rendered r) {
        int grace = (Integer) Resources.at(r.app(), "spec.template.spec.terminationGracePeriodSeconds")
                .orElseThrow(() -> new AssertionError(r + ": no terminationGracePeriodSeconds"));
        List<Object> preStop = Resources.list(r.appContainer(), "lifecycle.preStop.exec.command");
        String script = String.valueOf(preStop.get(preStop.size() - 1));
        assertTrue(script.matches("sleep \\d+"), "preStop is a pause: " + script);
        long pause = Long.parseLong(script.substring("sleep ".length()));
        long needed = pause + RecommenderInstance.WORST_CASE_CLOSE.toSeconds();
        assertTrue(grace > needed, r + ": terminationGracePeriodSeconds " + grace + " must exceed preStop " + pause
                + " s + the app's worst-case close " + RecommenderInstance.WORST_CASE_CLOSE.toSeconds() + " s");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void everyPodGetsAValidConfigurationWithStaticMembershipAndStandbys(Rendered r) {
        int replicas = Rendered.maxReplicas(r.autoscaler());
        Set<String> instanceIds = new HashSet<>();
        for (int i = 0; i < replicas; i++) {
            String pod = "streamrec-" + i;
            AppConfig config = r.appConfig(pod); // validated by AppConfig: unknown keys and bad values fail
            Map<String, Object> consumer = new StreamsConfig(config.streamsProperties())
                    .getMainConsumerConfigs(config.applicationId(), pod + "-client", 1);
            assertEquals(pod + "-1", consumer.get("group.instance.id"), r + ": static membership per pod and thread");
            assertTrue(instanceIds.add((String) consumer.get("group.instance.id")));
            assertTrue(Integer.parseInt(config.passthrough().getOrDefault("num.standby.replicas", "0")) >= 1,
                    r + ": num.standby.replicas");
            assertEquals(pod + ".streamrec-headless." + r.namespace() + ".svc:" + config.httpPort(),
                    config.passthrough().get("application.server"), r + ": application.server");
            HostInfo.buildFromEndpoint(config.passthrough().get("application.server")); // Kafka Streams parses it
            assertEquals("0.0.0.0", config.httpHost(), r + ": the pod listens on every interface (Services, peers)");
            Map<String, Object> models = r.volumeOf(r.app(), r.appContainer(), "/models");
            assertTrue(config.modelDir().startsWith("/models"), r + ": model.dir on the models volume");
            assertEquals("streamrec-models", Resources.string(models, "persistentVolumeClaim.claimName"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void theDisruptionBudgetCoversTheAppPodsAndLeavesMostRunning(Rendered r) {
        List<Map<String, Object>> pdbs = r.all("PodDisruptionBudget");
        assertEquals(1, pdbs.size(), r + ": one PodDisruptionBudget");
        Map<String, Object> pdb = pdbs.get(0);
        assertEquals(Resources.map(r.app(), "spec.template.metadata.labels"), Resources.map(pdb, "spec.selector.matchLabels"));
        assertEquals(1, Resources.at(pdb, "spec.maxUnavailable").orElse(null), r + ": one pod at a time");
        assertTrue(Rendered.minReplicas(r.autoscaler()) >= 2, r + ": with one pod, a drain stops processing");
    }

    // ---- scaling and topics ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void autoscalingNeverExceedsThePartitionsOfTheInputTopics(Rendered r) {
        AppConfig config = r.appConfig("streamrec-0");
        Map<String, Topic> topics = declaredTopics(r);
        Topic ratings = topics.get(config.ratingsTopic());
        Topic watches = topics.get(config.watchesTopic());
        assertNotNull(ratings, r + ": no topic " + config.ratingsTopic());
        assertNotNull(watches, r + ": no topic " + config.watchesTopic());
        assertEquals(ratings.partitions(), watches.partitions(), r + ": ratings and watches are co-partitioned by user");
        Map<String, Object> scaler = r.autoscaler();
        int max = Rendered.maxReplicas(scaler);
        assertTrue(max <= ratings.partitions(), r + ": " + Resources.id(scaler) + " max " + max
                + " > " + ratings.partitions() + " partitions: extra pods would get no task");
        assertTrue(Rendered.minReplicas(scaler) <= max);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void noReplicasWhereTheAutoscalerOwnsTheCount(Rendered r) {
        Map<String, Object> scaler = r.autoscaler();
        Map<String, Object> target = r.app();
        assertTrue(Resources.at(target, "spec.replicas").isEmpty(), r + ": the StatefulSet sets spec.replicas while "
                + Resources.id(scaler) + " owns the count; every apply would snap a scaled set back");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void everyTopicTheAppUsesIsDeclaredAndTheCatalogueIsCompacted(Rendered r) {
        AppConfig config = r.appConfig("streamrec-0");
        Map<String, Topic> topics = declaredTopics(r);
        for (String t : List.of(config.ratingsTopic(), config.watchesTopic(), config.moviesTopic(),
                config.recommendationsTopic(), config.dlqTopic())) {
            assertTrue(topics.containsKey(t), r + ": topic " + t + " is not declared; declared: " + topics.keySet());
        }
        assertTrue(topics.get(config.moviesTopic()).compacted(), r + ": the catalogue topic must be compacted");
        if (config.itemsLearnOnline()) {
            for (String t : List.of(config.itemVectorsTopic(), config.itemFeedbackTopic())) {
                assertTrue(topics.containsKey(t), r + ": items learn online but topic " + t + " is not declared");
            }
            assertTrue(topics.get(config.itemVectorsTopic()).compacted(), r + ": item vectors must be compacted");
            assertEquals(topics.get(config.ratingsTopic()).partitions(), topics.get(config.itemFeedbackTopic()).partitions(),
                    r + ": item feedback is partitioned like the events");
        }
        assertFalse(topics.get(config.ratingsTopic()).compacted(), r + ": events are not compacted");
        int expectedReplicas = Integer.parseInt(config.passthrough().getOrDefault("replication.factor", "1"));
        for (Topic t : topics.values()) {
            assertEquals(expectedReplicas, t.replicas(), r + ": topic " + t.name() + " replication like the changelogs");
        }
    }

    @Test
    void productionTopicsAreReplicatedThreeTimesAndTheModelTopicIsCompacted() {
        Map<String, Topic> topics = declaredTopics(rendered(PROD_KAFKA));
        for (Topic t : topics.values()) {
            assertEquals(3, t.replicas(), t.name());
            assertEquals("2", t.config().get("min.insync.replicas"), t.name());
        }
        assertTrue(topics.get("model-versions").compacted(), "model-versions topic");
    }

    @Test
    void kedaScalesOnTheLagOfTheAppsConsumerGroupWithCpuBesides() {
        Rendered prod = rendered("k8s/overlays/prod");
        AppConfig config = prod.appConfig("streamrec-0");
        Map<String, Object> so = prod.autoscaler();
        assertEquals("ScaledObject", Resources.kind(so));
        Set<String> topics = new HashSet<>();
        boolean cpu = false;
        for (Map<String, Object> trigger : Resources.maps(Resources.list(so, "spec.triggers"), "triggers")) {
            Map<String, Object> meta = YamlFiles.asMap(trigger.get("metadata"), "trigger metadata");
            switch (String.valueOf(trigger.get("type"))) {
                case "kafka" -> {
                    assertEquals(config.applicationId(), meta.get("consumerGroup"), "KEDA reads the app's group");
                    assertEquals(config.bootstrapServers(), meta.get("bootstrapServers"));
                    assertEquals("false", meta.get("allowIdleConsumers"), "no more pods than partitions");
                    topics.add((String) meta.get("topic"));
                    String auth = Resources.string(trigger, "authenticationRef.name");
                    Map<String, Object> ta = prod.get("TriggerAuthentication", auth);
                    for (Map<String, Object> ref : Resources.maps(Resources.list(ta, "spec.secretTargetRef"), "refs")) {
                        assertTrue(EXTERNAL_SECRETS.contains(ref.get("name")), "KEDA reads " + ref.get("name"));
                    }
                    assertEquals("SASL_SSL", config.passthrough().get("security.protocol"));
                    assertEquals("scram_sha512", meta.get("sasl"));
                    assertEquals("enable", meta.get("tls"));
                }
                case "cpu" -> cpu = true;
                default -> fail("unexpected trigger " + trigger);
            }
        }
        assertEquals(Set.of(config.ratingsTopic(), config.watchesTopic()), topics);
        assertTrue(cpu, "CPU as a second signal");
        assertTrue(prod.all("HorizontalPodAutoscaler").isEmpty(), "KEDA owns the HPA; the base one is removed");
    }

    @Test
    void theKafkaUserMayDoWhatExactlyOnceKafkaStreamsNeeds() {
        Rendered prod = rendered("k8s/overlays/prod");
        AppConfig config = prod.appConfig("streamrec-0");
        Map<String, Object> user = rendered(PROD_KAFKA).get("KafkaUser", "streamrec");
        assertEquals("scram-sha-512", Resources.string(user, "spec.authentication.type"));
        assertEquals("streamrec-kafka-credentials",
                Resources.string(user, "spec.authentication.password.valueFrom.secretKeyRef.name"));
        Map<String, Set<String>> acl = new LinkedHashMap<>();
        for (Map<String, Object> a : Resources.maps(Resources.list(user, "spec.authorization.acls"), "acls")) {
            Map<String, Object> res = YamlFiles.asMap(a.get("resource"), "resource");
            String key = res.get("type") + ":" + res.get("name") + ":" + res.get("patternType");
            for (Object op : YamlFiles.asList(a.get("operations"), key)) {
                acl.computeIfAbsent(key, k -> new HashSet<>()).add((String) op);
            }
        }
        String app = config.applicationId();
        assertTrue(acl.getOrDefault("topic:" + config.ratingsTopic() + ":literal", Set.of()).contains("Read"));
        assertTrue(acl.getOrDefault("topic:" + config.watchesTopic() + ":literal", Set.of()).contains("Read"));
        assertTrue(acl.getOrDefault("topic:" + config.moviesTopic() + ":literal", Set.of()).contains("Read"));
        for (String written : TopicsTheAppWrites.of(config)) {
            if (written.startsWith(app + "-")) continue; // an internal topic (item feedback): the prefix ACL below
            assertTrue(acl.getOrDefault("topic:" + written + ":literal", Set.of()).contains("Write"),
                    "the app writes " + written + ": the KafkaUser needs Write on it; ACLs: " + acl);
        }
        assertTrue(acl.getOrDefault("topic:" + app + "-:prefix", Set.of()).contains("All"), "internal topics");
        assertTrue(acl.getOrDefault("group:" + app + ":literal", Set.of()).contains("All"), "consumer group");
        assertTrue(acl.getOrDefault("transactionalId:" + app + "-:prefix", Set.of()).contains("All"), "exactly-once");
    }

    // ---- wiring ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void everyReferenceResolves(Rendered r) throws IOException {
        String operations = Files.readString(Repo.path("docs/operations.md"));
        Set<String> names = new HashSet<>();
        r.resources().forEach(res -> names.add(Resources.id(res)));
        for (Map<String, Object> workload : r.resources()) {
            if (Resources.podSpec(workload).isEmpty()) {
                continue;
            }
            String id = r + " " + Resources.id(workload);
            Set<String> volumeNames = new HashSet<>();
            for (Map<String, Object> v : Rendered.volumes(workload)) {
                assertTrue(volumeNames.add((String) v.get("name")), id + ": volume " + v.get("name") + " twice");
                Resources.at(v, "configMap.name").ifPresent(n -> assertTrue(names.contains("ConfigMap/" + n), id + " ConfigMap " + n));
                Resources.at(v, "persistentVolumeClaim.claimName").ifPresent(
                        n -> assertTrue(names.contains("PersistentVolumeClaim/" + n), id + " PVC " + n));
                Resources.at(v, "secret.secretName").ifPresent(n -> assertExternalSecret((String) n, names, operations, id));
            }
            Resources.at(Resources.podSpec(workload).orElseThrow(), "serviceAccountName").ifPresent(
                    n -> assertTrue(names.contains("ServiceAccount/" + n), id + " ServiceAccount " + n));
            for (Map<String, Object> c : Resources.containers(workload)) {
                List<String> mountPaths = new ArrayList<>();
                for (Map<String, Object> m : Resources.maps(c.get("volumeMounts"), "volumeMounts")) {
                    assertTrue(volumeNames.contains(m.get("name")), id + ": mount of unknown volume " + m.get("name"));
                    mountPaths.add((String) m.get("mountPath"));
                }
                for (String a : mountPaths) {
                    for (String b : mountPaths) {
                        assertFalse(!a.equals(b) && b.startsWith(a + "/"), id + ": " + b + " is mounted inside " + a);
                    }
                }
                for (Map<String, Object> e : Resources.maps(c.get("env"), "env")) {
                    Resources.at(e, "valueFrom.secretKeyRef.name").ifPresent(
                            n -> assertExternalSecret((String) n, names, operations, id));
                }
                Map<String, String> env = r.environment(c, "pod-0");
                for (String field : List.of("command", "args")) {
                    Resources.at(c, field).ifPresent(list -> YamlFiles.asList(list, field)
                            .forEach(a -> Rendered.expand(String.valueOf(a), env)));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void theNetworkPolicyLetsInHttpAndOutKafka(Rendered r) {
        AppConfig config = r.appConfig("streamrec-0");
        Map<String, Object> policy = r.get("NetworkPolicy", Rendered.APP);
        Map<String, Object> podLabels = Resources.map(r.app(), "spec.template.metadata.labels");
        assertTrue(podLabels.entrySet().containsAll(Resources.map(policy, "spec.podSelector.matchLabels").entrySet()));
        assertEquals(List.of("Ingress", "Egress"), Resources.list(policy, "spec.policyTypes"));
        Set<Integer> ingress = ports(Resources.list(policy, "spec.ingress"));
        Set<Integer> egress = ports(Resources.list(policy, "spec.egress"));
        assertEquals(Set.of(config.httpPort()), ingress, r + ": only HTTP in");
        assertTrue(egress.contains(53), r + ": DNS out");
        assertTrue(egress.contains(config.httpPort()), r + ": query routing between instances");
        for (String server : config.bootstrapServers().split(",")) {
            int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
            assertTrue(egress.contains(port), r + ": egress to Kafka at " + server);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void prometheusScrapesMetricsOnTheHttpPort(Rendered r) {
        int httpPort = r.appConfig("streamrec-0").httpPort();
        Map<String, Object> headless = r.get("Service", Resources.string(r.app(), "spec.serviceName"));
        Resources.at(headless, "metadata.annotations").map(a -> YamlFiles.asMap(a, "annotations"))
                .filter(a -> a.containsKey("prometheus.io/scrape")).ifPresent(a -> {
            assertEquals(String.valueOf(httpPort), a.get("prometheus.io/port"));
            assertEquals("/metrics", a.get("prometheus.io/path"));
        });
        for (Map<String, Object> sm : r.all("ServiceMonitor")) {
            Map<String, Object> selector = Resources.map(sm, "spec.selector.matchLabels");
            List<Map<String, Object>> services = r.all("Service").stream()
                    .filter(s -> Resources.map(s, "metadata.labels").entrySet().containsAll(selector.entrySet())).toList();
            assertEquals(1, services.size(), "the ServiceMonitor selects one Service (each pod scraped once)");
            assertEquals("None", Resources.string(services.get(0), "spec.clusterIP"), "every pod, through the headless Service");
            for (Map<String, Object> endpoint : Resources.maps(Resources.list(sm, "spec.endpoints"), "endpoints")) {
                assertEquals("/metrics", endpoint.get("path"));
                boolean named = Resources.maps(Resources.list(services.get(0), "spec.ports"), "ports").stream()
                        .anyMatch(p -> endpoint.get("port").equals(p.get("name")));
                assertTrue(named, "ServiceMonitor port " + endpoint.get("port") + " is a port of the Service");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void theTrainerCronJobTrainsAsPid1GatesPublishesAndOnlyThenSwitchesCurrent(Rendered r) {
        Map<String, Object> cron = r.get("CronJob", "streamrec-trainer");
        assertEquals("Forbid", Resources.string(cron, "spec.concurrencyPolicy"), "one training at a time");
        Map<String, Object> pod = Resources.podSpec(cron).orElseThrow();
        List<String> initOrder = Resources.maps(pod.get("initContainers"), "initContainers").stream()
                .map(c -> (String) c.get("name")).toList();
        boolean warmStart = !r.appConfig("streamrec-0").userVectorsTopic().isEmpty();
        assertEquals(List.of("clean-staging", "train", "gate", "promote", "publish", "publish-users"), initOrder,
                "init containers run in order, each must succeed; the users' vectors after the model");
        Map<String, Object> train = Rendered.container(cron, "train");
        Map<String, Object> gate = Rendered.container(cron, "gate");
        Map<String, Object> publish = Rendered.container(cron, "publish");
        for (Map<String, Object> java : List.of(train, gate, publish)) {
            // the image's exec-form ENTRYPOINT or an exec-form command starting with java: the JVM is PID 1 and
            // receives SIGTERM (a shell in between would not pass it on)
            List<Object> command = YamlFiles.asList(java.getOrDefault("command", DockerfileTest.entrypoint()), "command");
            assertEquals("java", command.get(0), r + " " + java.get("name") + " must run java directly, not in a shell");
            assertEquals(DockerfileTest.imageJarPath(), command.get(command.indexOf("-jar") + 1), "the jar the image holds");
        }
        Map<String, String> env = r.environment(train, "trainer-pod");
        List<String> trainArgs = Resources.list(train, "args").stream().map(a -> Rendered.expand(String.valueOf(a), env)).toList();
        assertEquals("train", Cli.subcommand(trainArgs));
        Path staged = Cli.parse(trainArgs).matchedOptionValue("--out", null);
        assertEquals(Path.of("/models/.staging", Rendered.JOB_NAME), staged, r + ": trains into a staging directory");
        assertFalse(Cli.parse(trainArgs).matchedOptionValue("--evaluate", true) == Boolean.FALSE, "the gate needs the evaluation");
        List<String> gateArgs = Resources.list(gate, "args").stream()
                .map(a -> Rendered.expand(String.valueOf(a), r.environment(gate, "trainer-pod"))).toList();
        assertEquals("gate", Cli.subcommand(gateArgs));
        assertEquals(staged.toString(), gateArgs.get(1), "the gate checks the model just trained");
        String clean = String.valueOf(Resources.list(Rendered.container(cron, "clean-staging"), "args").get(0));
        assertTrue(clean.contains("rm -rf /models/.staging"), r + ": a failed run's partial model is removed: " + clean);
        String promote = String.valueOf(Resources.list(Rendered.container(cron, "promote"), "args").get(0));
        assertTrue(promote.contains("mv -T \"/models/.staging/$JOB_NAME\" \"/models/versions/$JOB_NAME\""), promote);
        assertFalse(promote.contains(".current.tmp"), r + ": current is switched only after the publish: " + promote);

        // publish: the promoted directory, with the app's own settings (bootstrap, security, the topic the pods follow)
        List<String> publishArgs = Resources.list(publish, "args").stream()
                .map(a -> Rendered.expand(String.valueOf(a), r.environment(publish, "trainer-pod"))).toList();
        assertEquals("publish", Cli.subcommand(publishArgs));
        var parsed = Cli.parse(publishArgs);
        assertEquals(Path.of("/models/versions", Rendered.JOB_NAME), parsed.matchedOptionValue("--model", null));
        Path configFile = parsed.matchedOptionValue("--config", null);
        assertEquals(Resources.string(r.volumeOf(r.app(), r.appContainer(), configFile.getParent().toString()), "configMap.name"),
                Resources.string(r.volumeOf(cron, publish, configFile.getParent().toString()), "configMap.name"),
                r + ": publish reads the ConfigMap the pods read");
        var app = r.appConfig("streamrec-0");
        assertFalse(app.modelVersionsTopic().isEmpty(), r + ": the pods follow a model-versions topic");
        assertFalse(parsed.hasMatchedOption("--topic") || parsed.hasMatchedOption("--bootstrap"),
                r + ": topic and brokers come from the pods' configuration, not from other arguments");
        for (String mount : List.of("/etc/streamrec/kafka-credentials", "/etc/streamrec/kafka-ca")) {
            boolean appHas = Resources.maps(r.appContainer().getOrDefault("volumeMounts", List.of()), "volumeMounts").stream()
                    .anyMatch(m -> mount.equals(m.get("mountPath")));
            boolean publishHas = Resources.maps(publish.getOrDefault("volumeMounts", List.of()), "volumeMounts").stream()
                    .anyMatch(m -> mount.equals(m.get("mountPath")));
            assertEquals(appHas, publishHas, r + ": publish mounts " + mount + " where the pods do");
        }

        assertEquals(r.toString().endsWith("prod"), warmStart, r + ": warm start on in prod only (base and dev replay the data the model learned)");
        {
            Map<String, Object> users = Rendered.container(cron, "publish-users");
            List<String> usersArgs = Resources.list(users, "args").stream()
                    .map(a -> Rendered.expand(String.valueOf(a), r.environment(users, "trainer-pod"))).toList();
            assertEquals("publish-users", Cli.subcommand(usersArgs));
            var u = Cli.parse(usersArgs);
            assertEquals(Path.of("/models/versions", Rendered.JOB_NAME), u.matchedOptionValue("--model-dir", null));
            assertEquals(configFile, u.matchedOptionValue("--config", null), r + ": the pods' settings, their topic.user-vectors");
            assertEquals(Resources.maps(publish.get("volumeMounts"), "volumeMounts").stream().map(m -> m.get("mountPath")).toList(),
                    Resources.maps(users.get("volumeMounts"), "volumeMounts").stream().map(m -> m.get("mountPath")).toList(),
                    r + ": publish-users mounts what publish mounts");
        }

        Map<String, Object> switchCurrent = Rendered.container(cron, "switch-current");
        String script = String.valueOf(Resources.list(switchCurrent, "args").get(0));
        Path modelDir = app.modelDir();
        assertTrue(script.contains("mv -T /models/.current.tmp " + modelDir), r + ": " + modelDir + " is switched atomically");
        assertTrue(script.contains("versions/$JOB_NAME"), script);
        for (Map<String, Object> c : List.of(train, Rendered.container(cron, "promote"), publish, switchCurrent)) {
            Map<String, Object> models = r.volumeOf(cron, c, "/models");
            assertEquals(Resources.string(r.volumeOf(r.app(), r.appContainer(), "/models"), "persistentVolumeClaim.claimName"),
                    Resources.string(models, "persistentVolumeClaim.claimName"), "the volume the app reads");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void imagesAreOursOrTheOfficialKafkaImageOfTheVersionWeBuildAgainst(Rendered r) {
        for (Map<String, Object> workload : r.resources()) {
            for (Map<String, Object> c : Resources.containers(workload)) {
                String image = (String) c.get("image");
                if (image.startsWith("apache/kafka:")) {
                    assertEquals("apache/kafka:" + Repo.kafkaVersion(), image, Resources.id(workload));
                    assertEquals(Boolean.FALSE, Resources.podSpec(workload).orElseThrow().get("enableServiceLinks"),
                            Resources.id(workload) + ": the Kafka image reads every KAFKA_* variable, service links too");
                } else {
                    assertTrue(isOurs(c), r + " " + Resources.id(workload) + ": unexpected image " + image);
                    assertFalse(image.endsWith(":latest"), image);
                }
            }
        }
        String prodImage = (String) rendered("k8s/overlays/prod").appContainer().get("image");
        assertTrue(prodImage.matches(".+/streamrec:\\d+\\.\\d+\\.\\d+"), "prod pins a registry and a version: " + prodImage);
    }

    @Test
    void theKubectlCommandsInTheDocsNameResourcesThatExist() {
        Set<String> rendered = new HashSet<>();
        overlays().forEach(r -> r.resources().forEach(res -> rendered.add(Resources.id(res).toLowerCase(Locale.ROOT))));
        Map<String, String> kinds = Map.of("statefulset", "statefulset", "cronjob", "cronjob", "svc", "service");
        Pattern reference = Pattern.compile("\\b(statefulset|cronjob|svc)/([a-z0-9-]+)");
        int found = 0;
        for (String doc : List.of("README.md", "docs/operations.md")) {
            Matcher m = reference.matcher(Repo.read(doc));
            while (m.find()) {
                String id = kinds.get(m.group(1)) + "/" + m.group(2);
                assertTrue(rendered.contains(id), doc + " refers to " + m.group() + ", which the overlays do not create");
                found++;
            }
        }
        assertTrue(found >= 4, "the docs show the kubectl commands");
    }

    // ---- the findings of issue 15 ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void noSecretOnACommandLineOrInTheEnvironment(Rendered r) {
        for (Map<String, Object> workload : r.resources()) {
            for (Map<String, Object> c : Resources.containers(workload)) {
                String id = r + " " + Resources.id(workload) + " " + c.get("name");
                Set<String> secretVars = new HashSet<>();
                for (Map<String, Object> e : Resources.maps(c.get("env"), "env")) {
                    if (Resources.at(e, "valueFrom.secretKeyRef").isPresent()) {
                        secretVars.add((String) e.get("name"));
                    }
                }
                assertEquals(Set.of(), secretVars, id + ": secrets come as mounted files, not environment variables");
                for (String field : List.of("command", "args")) {
                    for (Object a : YamlFiles.asList(Resources.at(c, field).orElse(List.of()), field)) {
                        String arg = String.valueOf(a).toLowerCase(Locale.ROOT);
                        assertFalse(arg.contains("password") || arg.contains("jaas"), id + ": a credential on the command line: " + a);
                    }
                }
            }
        }
        AppConfig config = r.appConfig("streamrec-0");
        String jaas = config.passthrough().get("sasl.jaas.config");
        if (jaas != null) {
            assertTrue(jaas.contains("password=\"${"), r + ": the password is a config-provider reference");
            // resolved by Kafka's own parsing, through SecretMountsConfigProvider: the key of a mounted Secret
            Object resolved = new StreamsConfig(config.streamsProperties()).originals().get("sasl.jaas.config");
            assertTrue(String.valueOf(resolved).contains("password=\"secret-streamrec-kafka-credentials-password\""),
                    r + ": resolves to the mounted Secret, was " + resolved);
        }
    }

    @Test
    void productionAuthenticatesWithTheMountedSecretOverTls() {
        AppConfig config = rendered("k8s/overlays/prod").appConfig("streamrec-0");
        assertEquals("SASL_SSL", config.passthrough().get("security.protocol"));
        assertTrue(config.passthrough().containsKey("sasl.jaas.config"), "prod authenticates");
        Map<String, String> mounts = rendered("k8s/overlays/prod").secretMounts(rendered("k8s/overlays/prod").appContainer());
        assertEquals("streamrec-kafka-credentials:username,password", mounts.get("/etc/streamrec/kafka-credentials"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void everyEgressRuleNamesItsDestinationAndKafkaIsWhereTheBootstrapPoints(Rendered r) {
        Map<String, Object> policy = r.get("NetworkPolicy", Rendered.APP);
        AppConfig config = r.appConfig("streamrec-0");
        int kafkaPort = Integer.parseInt(config.bootstrapServers().substring(config.bootstrapServers().lastIndexOf(':') + 1));
        String kafkaNamespace = BootstrapAddress.namespace(config.bootstrapServers(), r.namespace());
        boolean kafkaRule = false;
        for (Map<String, Object> rule : Resources.maps(Resources.list(policy, "spec.egress"), "egress")) {
            List<Map<String, Object>> to = Resources.maps(rule.getOrDefault("to", List.of()), "to");
            assertFalse(to.isEmpty(), r + ": an egress rule without destinations allows any host: " + rule);
            for (Map<String, Object> peer : to) {
                assertFalse(peer.isEmpty(), r + ": an empty peer selects everything");
            }
            if (ports(List.of(rule)).contains(kafkaPort)) {
                kafkaRule = true;
                for (Map<String, Object> peer : to) {
                    String ns = (String) Resources.at(peer, "namespaceSelector.matchLabels")
                            .map(m -> YamlFiles.asMap(m, "ns").get("kubernetes.io/metadata.name")).orElse(r.namespace());
                    assertEquals(kafkaNamespace, ns, r + ": the Kafka egress rule must reach the namespace of "
                            + config.bootstrapServers());
                    assertTrue(Resources.at(peer, "podSelector.matchLabels").isPresent(), r + ": Kafka's pods, not the whole namespace");
                }
            }
        }
        assertTrue(kafkaRule, r + ": an egress rule for Kafka's port " + kafkaPort);
        r.find("StatefulSet", "kafka").ifPresent(kafka -> {
            Map<String, Object> labels = Resources.map(kafka, "spec.template.metadata.labels");
            assertEquals("kafka", labels.get("app.kubernetes.io/name"), "the dev broker carries the label the policy allows");
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void theIngressControllerNamespaceReachesTheApi(Rendered r) {
        Map<String, Object> policy = r.get("NetworkPolicy", Rendered.APP);
        boolean ingressController = false;
        for (Map<String, Object> rule : Resources.maps(Resources.list(policy, "spec.ingress"), "ingress")) {
            for (Map<String, Object> peer : Resources.maps(rule.get("from"), "from")) {
                Object ns = Resources.at(peer, "namespaceSelector.matchLabels").map(m -> YamlFiles.asMap(m, "ns")
                        .get("kubernetes.io/metadata.name")).orElse(null);
                ingressController |= "ingress-nginx".equals(ns);
            }
        }
        assertTrue(ingressController, r + ": an Ingress in front of the API is served by a controller in another namespace");
    }

    @Test
    void productionReachesKafkaInItsOwnNamespaceWhereItsTopicsAndUserAreDeclared() {
        Rendered prod = rendered("k8s/overlays/prod");
        Rendered kafka = rendered(PROD_KAFKA);
        AppConfig config = prod.appConfig("streamrec-0");
        String kafkaNamespace = BootstrapAddress.namespace(config.bootstrapServers(), prod.namespace());
        assertFalse(kafkaNamespace.equals(prod.namespace()), "prod's Kafka runs in its own namespace");
        assertEquals(kafkaNamespace, kafka.namespace(), "Strimzi's operators watch the Kafka cluster's namespace");
        String cluster = BootstrapAddress.strimziCluster(config.bootstrapServers());
        for (Map<String, Object> res : kafka.resources()) {
            assertEquals(cluster, Resources.map(res, "metadata.labels").get("strimzi.io/cluster"), Resources.id(res));
        }
        for (Map<String, Object> trigger : Resources.maps(Resources.list(prod.autoscaler(), "spec.triggers"), "triggers")) {
            Resources.at(trigger, "metadata.bootstrapServers").ifPresent(b -> assertEquals(config.bootstrapServers(), b));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void everyPodIsScrapedThroughOnePath(Rendered r) {
        Map<String, Object> podLabels = Resources.map(r.app(), "spec.template.metadata.labels");
        List<String> paths = new ArrayList<>();
        Map<String, Object> podAnnotations = Resources.at(r.app(), "spec.template.metadata.annotations")
                .map(a -> YamlFiles.asMap(a, "annotations")).orElse(Map.of());
        if ("true".equals(podAnnotations.get("prometheus.io/scrape"))) {
            paths.add("pod annotations");
        }
        List<Map<String, Object>> appServices = r.all("Service").stream().filter(svc -> podLabels.entrySet()
                .containsAll(Resources.map(svc, "spec.selector").entrySet())).toList();
        for (Map<String, Object> svc : appServices) {
            Map<String, Object> ann = Resources.at(svc, "metadata.annotations").map(a -> YamlFiles.asMap(a, "a")).orElse(Map.of());
            if ("true".equals(ann.get("prometheus.io/scrape"))) {
                paths.add(Resources.id(svc) + " annotations");
                assertEquals("None", Resources.string(svc, "spec.clusterIP"), "every pod, through the headless Service");
                assertEquals("/metrics", ann.get("prometheus.io/path"));
            }
        }
        for (Map<String, Object> sm : r.all("ServiceMonitor")) {
            Map<String, Object> selector = Resources.map(sm, "spec.selector.matchLabels");
            appServices.stream().filter(svc -> Resources.map(svc, "metadata.labels").entrySet().containsAll(selector.entrySet()))
                    .forEach(svc -> paths.add(Resources.id(sm) + " via " + Resources.id(svc)));
        }
        assertTrue(r.all("PodMonitor").isEmpty());
        assertEquals(1, paths.size(), r + ": each pod scraped exactly once, found " + paths);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void podsSpreadOverZonesAndNodes(Rendered r) {
        Map<String, Object> podLabels = Resources.map(r.app(), "spec.template.metadata.labels");
        Map<String, String> keys = new LinkedHashMap<>();
        for (Map<String, Object> c : Resources.maps(Resources.list(r.app(), "spec.template.spec.topologySpreadConstraints"), "tsc")) {
            assertEquals(1, c.get("maxSkew"));
            assertTrue(podLabels.entrySet().containsAll(Resources.map(c, "labelSelector.matchLabels").entrySet()));
            keys.put((String) c.get("topologyKey"), (String) c.get("whenUnsatisfiable"));
        }
        assertTrue(keys.containsKey("topology.kubernetes.io/zone"), r + ": spread over zones");
        assertTrue(keys.containsKey("kubernetes.io/hostname"), r + ": spread over nodes");
    }

    @Test
    void productionPutsEveryStandbyInAnotherZone() {
        Rendered prod = rendered("k8s/overlays/prod");
        AppConfig config = prod.appConfig("streamrec-0");
        StreamsConfig streams = new StreamsConfig(config.streamsProperties());
        List<String> tags = streams.getList(StreamsConfig.RACK_AWARE_ASSIGNMENT_TAGS_CONFIG);
        assertEquals(List.of("zone"), tags, "rack-aware standby assignment by zone");
        assertEquals(Map.of("zone", Rendered.POD_ZONE), streams.getClientTags(),
                "each pod tags itself with its node's zone (downward API)");
        for (Map<String, Object> c : Resources.maps(Resources.list(prod.app(), "spec.template.spec.topologySpreadConstraints"), "tsc")) {
            if ("topology.kubernetes.io/zone".equals(c.get("topologyKey"))) {
                assertEquals("DoNotSchedule", c.get("whenUnsatisfiable"), "prod spreads over zones for certain");
                assertEquals("Honor", c.get("nodeTaintsPolicy"), "a zone that is down does not block the others");
            }
        }
    }

    // ---- helpers ----

    static Map<String, Topic> declaredTopics(Rendered r) {
        if (r.name().equals("k8s/overlays/prod")) {
            r = rendered(PROD_KAFKA);
        }
        if (!r.all("KafkaTopic").isEmpty()) {
            return Topic.fromStrimzi(r.all("KafkaTopic"));
        }
        Map<String, Object> job = r.get("Job", "streamrec-topics");
        Map<String, Object> c = Resources.containers(job).get(0);
        return Topic.fromScript(String.join("\n", Resources.list(c, "args").stream().map(String::valueOf).toList()));
    }

    private static boolean isOurs(Map<String, Object> container) {
        String image = (String) container.get("image");
        return image.equals("streamrec") || image.matches("(.+/)?streamrec:.+");
    }

    private static void assertExternalSecret(String name, Set<String> names, String operations, String where) {
        if (names.contains("Secret/" + name)) {
            return;
        }
        assertTrue(EXTERNAL_SECRETS.contains(name), where + ": Secret " + name + " is neither created nor expected");
        assertTrue(operations.contains(name), "docs/operations.md must say where Secret " + name + " comes from");
    }

    private static int containerPort(Map<String, Object> container, Object port) {
        if (port instanceof Integer i) {
            return i;
        }
        return Resources.maps(container.get("ports"), "ports").stream().filter(p -> port.equals(p.get("name")))
                .map(p -> (Integer) p.get("containerPort")).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port));
    }

    private static Set<Integer> ports(List<Object> rules) {
        Set<Integer> ports = new HashSet<>();
        for (Map<String, Object> rule : Resources.maps(rules, "rules")) {
            for (Map<String, Object> p : Resources.maps(rule.get("ports"), "ports")) {
                ports.add((Integer) p.get("port"));
            }
        }
        return ports;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void theApiReadsItsTokensFromTheRequiredSecret(Rendered r) {
        AppConfig config = r.appConfig("streamrec-0");
        assertNotNull(config.httpTokensFile(), r + ": the API listens on " + config.httpHost() + " and needs tokens");
        Path tokens = config.httpTokensFile();
        Map<String, String> mounts = r.secretMounts(r.appContainer());
        String mount = tokens.getParent().toString();
        assertEquals("streamrec-api-tokens:" + tokens.getFileName(), mounts.get(mount),
                r + ": http.tokens.file is the key of the Secret mounted at " + mount + ": " + mounts);
        Map<String, Object> volume = r.volumeOf(r.app(), r.appContainer(), mount);
        assertEquals(false, Resources.at(volume, "secret.optional").orElse(false),
                r + ": required, so a pod never starts with the API open");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void theApiIsReachableOnlyFromNamedPods(Rendered r) {
        Map<String, Object> policy = r.get("NetworkPolicy", Rendered.APP);
        Map<String, Object> appLabels = Resources.map(r.app(), "spec.template.metadata.labels");
        boolean instances = false, prometheus = false;
        for (Map<String, Object> rule : Resources.maps(Resources.list(policy, "spec.ingress"), "ingress")) {
            List<Map<String, Object>> from = Resources.maps(rule.get("from"), "from");
            assertFalse(from.isEmpty(), r + ": an ingress rule without peers admits everyone: " + rule);
            for (Map<String, Object> peer : from) {
                Map<String, Object> pods = Resources.at(peer, "podSelector.matchLabels")
                        .map(m -> YamlFiles.asMap(m, "matchLabels")).orElse(Map.of());
                assertFalse(pods.isEmpty(), r + ": a peer without pod labels admits a whole namespace: " + peer);
                boolean otherNamespace = Resources.at(peer, "namespaceSelector").isPresent();
                instances |= !otherNamespace && appLabels.entrySet().containsAll(pods.entrySet());
                prometheus |= otherNamespace && "monitoring".equals(Resources.at(peer, "namespaceSelector.matchLabels")
                        .map(m -> YamlFiles.asMap(m, "ns").get("kubernetes.io/metadata.name")).orElse(null));
            }
        }
        assertTrue(instances, r + ": the other instances (a query for a user held elsewhere is forwarded)");
        assertTrue(prometheus, r + ": Prometheus scrapes /metrics");
    }

    @Test
    void theDevBrokerAdmitsOnlyTheWorkloadsThatUseIt() {
        Rendered dev = rendered("k8s/overlays/dev");
        Map<String, Object> policy = dev.get("NetworkPolicy", "kafka");
        Map<String, Object> brokerLabels = Resources.map(dev.get("StatefulSet", "kafka"), "spec.template.metadata.labels");
        assertTrue(brokerLabels.entrySet().containsAll(Resources.map(policy, "spec.podSelector.matchLabels").entrySet()));
        List<Map<String, Object>> clientPeers = new ArrayList<>();
        for (Map<String, Object> rule : Resources.maps(Resources.list(policy, "spec.ingress"), "ingress")) {
            List<Map<String, Object>> from = Resources.maps(rule.get("from"), "from");
            assertFalse(from.isEmpty(), "an ingress rule without peers admits everyone: " + rule);
            for (Map<String, Object> peer : from) {
                assertTrue(Resources.at(peer, "podSelector").isPresent() && !Resources.at(peer, "namespaceSelector").isPresent(),
                        "pods of this namespace, chosen by label: " + peer);
            }
            if (ports(List.of(rule)).contains(9092)) clientPeers.addAll(from);
        }
        int clients = 0;
        for (Map<String, Object> workload : dev.resources()) {
            if (Resources.podSpec(workload).isEmpty() || Resources.name(workload).equals("kafka")) continue;
            boolean usesKafka = Resources.name(workload).equals(Rendered.APP) || Resources.containers(workload).stream()
                    .anyMatch(c -> String.valueOf(c.get("args")).contains("kafka:9092") || String.valueOf(c.get("command")).contains("kafka:9092"));
            if (!usesKafka) continue;
            clients++;
            Map<String, Object> labels = podLabels(workload);
            assertTrue(clientPeers.stream().anyMatch(peer -> selects(peer, labels)),
                    Resources.id(workload) + " talks to kafka:9092 and must be admitted: " + labels);
        }
        assertTrue(clients >= 3, "the app, the topics job and the generator use the broker");
        assertFalse(clientPeers.stream().anyMatch(peer -> selects(peer, Map.of("app.kubernetes.io/name", "streamrec",
                "app.kubernetes.io/component", "web-shell"))), "a pod of another component is not admitted");
    }

    private static Map<String, Object> podLabels(Map<String, Object> workload) {
        String path = Resources.kind(workload).equals("CronJob") ? "spec.jobTemplate.spec.template.metadata.labels"
                : "spec.template.metadata.labels";
        return Resources.map(workload, path);
    }

    /** Whether a NetworkPolicy peer's podSelector selects pods with these labels (matchLabels and In expressions). */
    private static boolean selects(Map<String, Object> peer, Map<String, Object> labels) {
        Map<String, Object> selector = Resources.map(peer, "podSelector");
        Map<String, Object> match = selector.get("matchLabels") == null ? Map.of() : YamlFiles.asMap(selector.get("matchLabels"), "matchLabels");
        if (!labels.entrySet().containsAll(match.entrySet())) return false;
        for (Map<String, Object> e : Resources.maps(selector.get("matchExpressions"), "matchExpressions")) {
            List<Object> values = YamlFiles.asList(e.get("values"), "values");
            boolean in = values.contains(labels.get(String.valueOf(e.get("key"))));
            if (!"In".equals(e.get("operator")) || !in) return false;
        }
        return true;
    }

    private static long bytes(Object quantity) {
        return Quantity.getAmountInBytes(new Quantity(String.valueOf(quantity))).longValueExact();
    }
}
