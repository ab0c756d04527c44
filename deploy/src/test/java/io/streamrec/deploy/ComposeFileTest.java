package io.streamrec.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamrec.app.RecommenderInstance;
import io.streamrec.app.config.AppConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/** docker/docker-compose.yml: the broker, the one-shot steps, two app instances and the generator fit together. */
class ComposeFileTest {
    static final String FILE = "docker/docker-compose.yml";
    private static final String IMAGE = "streamrec:dev";

    private static Map<String, Object> services() {
        return YamlFiles.asMap(YamlFiles.document(Repo.path(FILE)).get("services"), "services");
    }

    private static Map<String, Object> service(String name) {
        return YamlFiles.asMap(services().get(name), "service " + name);
    }

    private static List<String> command(Map<String, Object> service) {
        return YamlFiles.asList(service.get("command"), "command").stream().map(String::valueOf).toList();
    }

    /** The services running the app ("run"), by name. */
    private static Map<String, Map<String, Object>> appInstances() {
        Map<String, Map<String, Object>> apps = new LinkedHashMap<>();
        services().forEach((name, s) -> {
            Map<String, Object> service = YamlFiles.asMap(s, name);
            if (IMAGE.equals(service.get("image")) && !service.containsKey("entrypoint")
                    && Cli.subcommand(command(service)).equals("run")) {
                apps.put(name, service);
            }
        });
        return apps;
    }

    private static Map<String, String> volumes(Map<String, Object> service) {
        Map<String, String> byTarget = new LinkedHashMap<>();
        for (Object v : YamlFiles.asList(service.getOrDefault("volumes", List.of()), "volumes")) {
            String[] parts = String.valueOf(v).split(":");
            byTarget.put(parts[1], parts[0] + (parts.length > 2 ? ":" + parts[2] : ""));
        }
        return byTarget;
    }

    @Test
    void theBrokerIsTheOfficialKraftImageOfOurKafkaVersion() {
        Map<String, Object> kafka = service("kafka");
        assertEquals("apache/kafka:" + Repo.kafkaVersion(), kafka.get("image"));
        Map<String, Object> env = YamlFiles.asMap(kafka.get("environment"), "kafka environment");
        assertEquals("broker,controller", env.get("KAFKA_PROCESS_ROLES"), "KRaft, one combined node");
        Uuid.fromString(String.valueOf(env.get("CLUSTER_ID"))); // a valid KRaft cluster id, or this throws
        String voters = String.valueOf(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS"));
        String controllerPort = voters.substring(voters.lastIndexOf(':') + 1);
        assertTrue(String.valueOf(env.get("KAFKA_LISTENERS")).contains("CONTROLLER://:" + controllerPort), voters);
        assertEquals("false", String.valueOf(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")), "topics come from the topics step");
        assertEquals("1", String.valueOf(env.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR")),
                "exactly-once needs the transaction log, on one broker with one replica");
        assertNotNull(Resources.at(kafka, "healthcheck.test").orElse(null), "the others wait for a healthy broker");
        String advertised = String.valueOf(env.get("KAFKA_ADVERTISED_LISTENERS"));
        for (Map<String, Object> app : appInstances().values()) {
            AppConfig config = Cli.runConfig(command(app), Map.of());
            assertTrue(advertised.contains("://" + config.bootstrapServers()), "the app connects to an advertised listener");
        }
    }

    @Test
    void twoInstancesShareThePartitionsWithTheirOwnStateAndIdentity() {
        Map<String, Map<String, Object>> apps = appInstances();
        assertTrue(apps.size() >= 2, "at least two instances: " + apps.keySet());
        Set<String> ids = new HashSet<>();
        Set<String> stateVolumes = new HashSet<>();
        Set<String> hostPorts = new HashSet<>();
        Map<String, Topic> topics = Topic.fromScript(command(service("topics")).get(0));
        for (Map.Entry<String, Map<String, Object>> e : apps.entrySet()) {
            Map<String, Object> app = e.getValue();
            AppConfig config = Cli.runConfig(command(app), Map.of());
            String id = config.passthrough().get("group.instance.id");
            assertNotNull(id, e.getKey() + ": static membership");
            assertTrue(ids.add(id), "group.instance.id " + id + " twice");
            assertEquals(app.get("hostname") + ":" + config.httpPort(), config.passthrough().get("application.server"),
                    e.getKey() + ": other instances route queries to hostname:http.port");
            HostInfo.buildFromEndpoint(config.passthrough().get("application.server"));
            assertEquals("0.0.0.0", config.httpHost(), e.getKey() + ": the container listens on every interface");
            assertTrue(Integer.parseInt(config.passthrough().getOrDefault("num.standby.replicas", "0")) >= 1);
            String state = volumes(app).get(config.stateDir().toString());
            assertNotNull(state, e.getKey() + ": state.dir " + config.stateDir() + " is a volume");
            assertTrue(stateVolumes.add(state), "state volume " + state + " shared by two instances");
            String models = volumes(app).get(config.modelDir().getParent().toString());
            assertEquals("models:ro", models, e.getKey() + ": the trainer's model volume, read-only");
            for (Object port : YamlFiles.asList(app.get("ports"), "ports")) {
                String[] hostContainer = String.valueOf(port).split(":");
                assertEquals(3, hostContainer.length, port + ": published as 127.0.0.1:<host port>:<container port>");
                assertEquals("127.0.0.1", hostContainer[0], port + ": published on the host's loopback only");
                assertEquals(String.valueOf(config.httpPort()), hostContainer[2]);
                assertTrue(hostPorts.add(hostContainer[1]));
            }
            Duration grace = Duration.parse("PT" + String.valueOf(app.get("stop_grace_period")).toUpperCase());
            assertTrue(grace.compareTo(RecommenderInstance.WORST_CASE_CLOSE) > 0, e.getKey() + ": stop_grace_period " + grace
                    + " must exceed the app's worst-case close " + RecommenderInstance.WORST_CASE_CLOSE);
            for (String t : List.of(config.ratingsTopic(), config.watchesTopic(), config.moviesTopic(),
                    config.recommendationsTopic(), config.dlqTopic())) {
                assertTrue(topics.containsKey(t), "the topics step creates " + t);
            }
            assertTrue(topics.get(config.moviesTopic()).compacted(), "the catalogue is compacted");
            int partitions = topics.get(config.ratingsTopic()).partitions();
            assertEquals(partitions, topics.get(config.watchesTopic()).partitions(), "co-partitioned by user");
            assertTrue(partitions >= apps.size(), "every instance gets a task");
        }
    }

    /** The trainer's script: its {@code $$java ARGS} lines as argument lists, the version variable filled in. */
    private static List<List<String>> trainerJavaSteps(String script) {
        List<List<String>> steps = new ArrayList<>();
        for (String line : script.lines().map(String::trim).toList()) {
            if (line.startsWith("$$java ")) {
                steps.add(List.of(line.substring("$$java ".length()).replace("\"", "").replace("$$v", "m1").split("\\s+")));
            }
        }
        return steps;
    }

    @Test
    void theTrainerStagesGatesAndOnlyThenSwitchesCurrentAndPublishes() {
        Map<String, Object> trainer = service("trainer");
        String script = command(trainer).get(0);
        List<List<String>> steps = trainerJavaSteps(script);
        assertEquals(List.of("train", "gate", "publish"), steps.stream().map(Cli::subcommand).toList(), script);
        Object out = Cli.parse(steps.get(0)).matchedOptionValue("--out", null);
        assertEquals("/models/.staging/m1", String.valueOf(out), "trains into a staging directory");
        assertEquals(String.valueOf(out), steps.get(1).get(1), "the gate checks the model just trained");
        AppConfig config = Cli.runConfig(command(appInstances().values().iterator().next()), Map.of());
        int staged = script.indexOf("mv -T \"/models/.staging/$$v\" \"/models/versions/$$v\"");
        int gate = script.indexOf("$$java gate");
        int switched = script.indexOf("mv -T /models/.current.tmp " + config.modelDir());
        assertTrue(gate >= 0 && staged > gate && switched > staged, "gate, then move into place, then switch atomically: " + script);
        // then published: what every instance follows (topic.model-versions) and swaps to without a restart
        int published = script.indexOf("$$java publish");
        assertTrue(published > switched, "published after the switch: " + script);
        List<String> publish = steps.get(2);
        assertEquals("/models/versions/m1", String.valueOf((Object) Cli.parse(publish).matchedOptionValue("--model", null)),
                "publishes the model moved into place");
        assertEquals("kafka:19092", String.valueOf((Object) Cli.parse(publish).matchedOptionValue("--bootstrap", null)));
        for (Map.Entry<String, Map<String, Object>> e : appInstances().entrySet()) {
            AppConfig app = Cli.runConfig(command(e.getValue()), Map.of());
            assertEquals(String.valueOf((Object) Cli.parse(publish).matchedOptionValue("--topic", null)), app.modelVersionsTopic(),
                    e.getKey() + " follows the topic the trainer publishes to");
        }
        assertTrue(command(service("topics")).get(0).contains("--topic model-versions --partitions 1"),
                "the topics service creates model-versions with one partition");
        assertTrue(script.contains("rm -rf /models/.staging"), "a failed run's partial model is removed");
        assertTrue(script.startsWith("set -eu"), "any failing step stops the script before the switch");
    }

    @Test
    void theAppStartsAfterTheTopicsAndTheTrainedModel() {
        Map<String, Object> trainer = service("trainer");
        for (Map.Entry<String, Map<String, Object>> e : appInstances().entrySet()) {
            Map<String, Object> deps = YamlFiles.asMap(e.getValue().get("depends_on"), e.getKey() + " depends_on");
            assertEquals("service_completed_successfully", Resources.string(deps, "topics.condition"));
            assertEquals("service_completed_successfully", Resources.string(deps, "trainer.condition"));
        }
        assertEquals("models", volumes(trainer).get(String.valueOf(Cli.runConfig(command(appInstances().values()
                .iterator().next()), Map.of()).modelDir().getParent())), "the trainer writes to the shared volume");
        Map<String, Object> topicsDeps = YamlFiles.asMap(service("topics").get("depends_on"), "topics depends_on");
        assertEquals("service_healthy", Resources.string(topicsDeps, "kafka.condition"));
    }

    @Test
    void publishedPortsListenOnTheLoopbackOnly() {
        int published = 0;
        for (Map.Entry<String, Object> e : services().entrySet()) {
            Map<String, Object> service = YamlFiles.asMap(e.getValue(), e.getKey());
            for (Object port : YamlFiles.asList(service.getOrDefault("ports", List.of()), "ports")) {
                assertTrue(String.valueOf(port).startsWith("127.0.0.1:"), e.getKey() + ": " + port
                        + " would listen on every interface of the host (plaintext broker, unauthenticated API)");
                published++;
            }
        }
        assertTrue(published >= 3, "the broker and both APIs are published");
    }

    @Test
    void theGeneratorReplaysToTheBrokerTheAppsUse() {
        List<String> generator = command(service("generator"));
        assertEquals("replay", Cli.subcommand(generator));
        String bootstrap = Cli.parse(generator).matchedOptionValue("--bootstrap", null);
        for (Map<String, Object> app : appInstances().values()) {
            assertEquals(Cli.runConfig(command(app), Map.of()).bootstrapServers(), bootstrap);
        }
    }

    @Test
    void ourContainersRunReadOnlyWithAnExecutableTmp() {
        List<String> ours = new ArrayList<>();
        services().forEach((name, s) -> {
            Map<String, Object> service = YamlFiles.asMap(s, name);
            if (!IMAGE.equals(service.get("image"))) {
                return;
            }
            ours.add(name);
            assertEquals(Boolean.TRUE, service.get("read_only"), name + ": read-only root filesystem");
            List<Object> tmpfs = YamlFiles.asList(service.get("tmpfs"), name + " tmpfs");
            String tmp = tmpfs.stream().map(String::valueOf).filter(t -> t.startsWith("/tmp:")).findFirst()
                    .orElseThrow(() -> new AssertionError(name + ": no tmpfs on /tmp"));
            // Docker's tmpfs defaults include noexec; the JNI libraries unpacked there would not load
            assertTrue(List.of(tmp.substring("/tmp:".length()).split(",")).contains("exec"), name + ": " + tmp);
            Map<String, Object> build = YamlFiles.asMap(service.get("build"), name + " build");
            assertEquals(DockerfileTest.FILE, "docker/" + build.get("dockerfile").toString().replaceFirst("^docker/", ""));
            assertEquals(Repo.ROOT, Repo.path("docker").resolve(String.valueOf(build.get("context"))).normalize(),
                    "the build context is the repository root");
        });
        assertTrue(ours.containsAll(List.of("trainer", "generator")) && ours.size() >= 4, ours.toString());
        assertFalse(services().containsKey("zookeeper"));
    }

    @Test
    void everyInstanceReadsTheApiTokensFromASecretFileThatIsNeverCommitted() throws Exception {
        Map<String, Object> secrets = YamlFiles.asMap(YamlFiles.document(Repo.path(FILE)).get("secrets"), "secrets");
        for (var e : appInstances().entrySet()) {
            AppConfig config = Cli.runConfig(command(e.getValue()), Map.of());
            assertEquals("0.0.0.0", config.httpHost(), e.getKey());
            assertNotNull(config.httpTokensFile(), e.getKey() + ": reachable from other containers, so it needs tokens");
            String path = config.httpTokensFile().toString();
            assertTrue(path.startsWith("/run/secrets/"), e.getKey() + ": a Compose secret, mounted under /run/secrets: " + path);
            String secret = path.substring("/run/secrets/".length());
            assertTrue(YamlFiles.asList(e.getValue().get("secrets"), e.getKey() + " secrets").contains(secret),
                    e.getKey() + " mounts the secret " + secret);
            String file = String.valueOf(YamlFiles.asMap(secrets.get(secret), "secret " + secret).get("file"));
            java.nio.file.Path onHost = Repo.path("docker").resolve(file).normalize();
            String relative = "/" + Repo.ROOT.relativize(onHost).toString().replace('\\', '/');
            assertTrue(java.nio.file.Files.readAllLines(Repo.path(".gitignore")).contains(relative),
                    relative + " (the tokens) is in .gitignore");
        }
        assertFalse(appInstances().isEmpty());
    }
}
