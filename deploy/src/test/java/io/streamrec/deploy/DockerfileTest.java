package io.streamrec.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamrec.tools.Recsys;
import io.streamrec.app.config.AppConfig;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docker/Dockerfile against the Maven build, the jar it produces, the app's configuration and README.md. */
class DockerfileTest {
    static final String FILE = "docker/Dockerfile";
    private static final Pattern WRAPPER = Pattern.compile("\\./mvnw [^&;|]+");

    static Dockerfile dockerfile() {
        return Dockerfile.parse(Repo.path(FILE), Repo.read(FILE));
    }

    /** The runtime image's ENTRYPOINT, exec form (so the JVM is PID 1 and gets SIGTERM). */
    static List<String> entrypoint() {
        return dockerfile().runtime().one("ENTRYPOINT").execForm();
    }

    /** The path of the jar inside the image (the argument of -jar in the ENTRYPOINT). */
    static String imageJarPath() {
        List<String> entrypoint = dockerfile().runtime().one("ENTRYPOINT").execForm();
        return entrypoint.get(entrypoint.indexOf("-jar") + 1);
    }

    static String readmeSection() {
        String readme = Repo.read("README.md");
        int start = readme.indexOf("\n## Docker and Kubernetes\n");
        assertTrue(start >= 0, "README.md has no section \"Docker and Kubernetes\"");
        int end = readme.indexOf("\n## ", start + 1);
        return end < 0 ? readme.substring(start) : readme.substring(start, end);
    }

    @Test
    void theImageBuildsWithTheWrapperCommandTheReadmeDocuments() {
        Dockerfile.Stage build = dockerfile().stage("build");
        assertTrue(build.image().matches("eclipse-temurin:(\\d+)-jdk.*"), "a JDK to build with: " + build.image());
        String run = build.all("RUN").stream().map(Dockerfile.Instruction::arguments)
                .filter(a -> a.contains("./mvnw")).findFirst().orElseThrow(() -> new AssertionError("no ./mvnw RUN"));
        Matcher m = WRAPPER.matcher(run);
        assertTrue(m.find(), run);
        String command = m.group().trim();
        assertTrue(readmeSection().contains("`" + command + "`"), "README.md must document the build command " + command);
        List<String> words = Arrays.asList(command.split(" "));
        String module = words.get(words.indexOf("-pl") + 1);
        assertTrue(Repo.read("pom.xml").contains("<module>" + module + "</module>"), "module " + module);
        assertTrue(words.contains("package") || words.contains("install") || words.contains("verify"), command);
        assertTrue(Files.isExecutable(Repo.path("mvnw")), "the wrapper is executable in the build context");
    }

    @Test
    void theJarTheImageRunsIsTheOneTheMavenBuildMakesWithTheCliMainClass() throws IOException {
        Dockerfile df = dockerfile();
        String workdir = df.stage("build").one("WORKDIR").arguments();
        Dockerfile.Instruction copy = df.runtime().all("COPY").stream()
                .filter(c -> c.arguments().startsWith("--from=build ")).findFirst()
                .orElseThrow(() -> new AssertionError("the runtime copies nothing from the build stage"));
        String[] parts = copy.arguments().split(" ");
        String source = parts[1];
        String destination = parts[2];
        assertEquals(imageJarPath(), destination, "ENTRYPOINT runs the copied jar");
        assertTrue(source.startsWith(workdir + "/"), source + " is in the build stage's WORKDIR " + workdir);
        Path jar = Repo.path(source.substring(workdir.length() + 1));
        assertEquals(Repo.path("tools/target/streamrec.jar"), jar);
        assertTrue(Files.isRegularFile(jar), jar + " must exist after the Maven build (the reactor builds tools first)");
        try (JarFile j = new JarFile(jar.toFile())) {
            String main = j.getManifest().getMainAttributes().getValue("Main-Class");
            assertEquals(Recsys.class.getName(), main, "java -jar starts the CLI");
            assertNotNull(j.getEntry(main.replace('.', '/') + ".class"), main + " is in the jar");
            assertNotNull(j.getEntry("org/apache/kafka/streams/KafkaStreams.class"), "shaded: dependencies inside");
        }
    }

    @Test
    void theRuntimeIsAJre25RunningAsTheNonRootUserTheManifestsExpect() {
        Dockerfile.Stage runtime = dockerfile().runtime();
        Matcher jre = Pattern.compile("eclipse-temurin:(\\d+)-jre.*").matcher(runtime.image());
        assertTrue(jre.matches(), "a slim JRE: " + runtime.image());
        // 25: the cold start and CPU per list measured against 17 (docs/benchmarks.md, twentieth pass)
        assertTrue(Integer.parseInt(jre.group(1)) >= 25, "Java 25 or newer: " + runtime.image());
        String[] user = runtime.one("USER").arguments().split(":");
        int uid = Integer.parseInt(user[0]);
        assertTrue(uid > 0, "non-root");
        for (Rendered r : KubernetesManifestsTest.all().toList()) {
            Object runAs = Resources.at(r.app(), "spec.template.spec.securityContext.runAsUser").orElse(null);
            assertEquals(uid, runAs, r + ": the pods run as the image's user (so the image's directories are theirs)");
        }
        List<String> entrypoint = runtime.one("ENTRYPOINT").execForm();
        assertEquals("java", entrypoint.get(0));
        assertTrue(entrypoint.stream().anyMatch(a -> a.startsWith("-XX:MaxRAMPercentage=")), "heap sized from the container");
        assertTrue(entrypoint.contains("-Djava.io.tmpdir=/tmp"), "native libraries unpack into /tmp, a mounted volume");
    }

    @Test
    void theDefaultCommandRunsTheAppWithStateOnTheVolumeAndHealthOnItsPort() {
        Dockerfile.Stage runtime = dockerfile().runtime();
        List<String> cmd = runtime.one("CMD").execForm();
        AppConfig config = Cli.runConfig(cmd, Map.of());
        List<String> volumes = runtime.one("VOLUME").execForm();
        assertEquals(List.of(config.stateDir().toString()), volumes, "the state directory is the image's volume");
        String health = runtime.one("HEALTHCHECK").arguments();
        assertTrue(health.contains("http://localhost:" + config.httpPort() + "/health"), health);
        assertEquals(String.valueOf(config.httpPort()), runtime.one("EXPOSE").arguments());
        assertEquals(AppConfig.defaults().httpPort(), config.httpPort());
    }

    @Test
    void theBuildContextKeepsSourcesAndWrapperAndDropsBuildOutput() {
        List<PathMatcher> ignored = new ArrayList<>();
        for (String line : Repo.read(".dockerignore").split("\n")) {
            String p = line.trim();
            if (p.isEmpty() || p.startsWith("#")) {
                continue;
            }
            assertFalse(p.startsWith("!"), "exceptions are not modelled by this test: " + p);
            p = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
            ignored.add(FileSystems.getDefault().getPathMatcher("glob:" + p));
            if (p.startsWith("**/")) {
                ignored.add(FileSystems.getDefault().getPathMatcher("glob:" + p.substring(3)));
            }
        }
        for (String kept : List.of("mvnw", "pom.xml", ".mvn/wrapper/maven-wrapper.properties",
                "streams-app/pom.xml", "tools/src/main/java/io/streamrec/tools/Recsys.java", "model/pom.xml",
                "embedded-kafka/pom.xml", "schemas/src/main/avro", "trainer/pom.xml", "core/pom.xml")) {
            assertTrue(Files.exists(Repo.path(kept)), kept);
            assertFalse(isIgnored(ignored, kept), kept + " is needed by the build but .dockerignore drops it");
        }
        for (String dropped : List.of("tools/target/streamrec.jar", "core/target/classes", ".git/HEAD", "models/current")) {
            assertTrue(isIgnored(ignored, dropped), dropped + " should stay out of the build context");
        }
    }

    @Test
    void theReadmeCommandsUseTheseFilesAndTheirArgumentsParse() {
        String section = readmeSection();
        List<String> commands = section.lines().map(String::trim)
                .filter(l -> l.startsWith("docker ") || l.startsWith("kubectl ")).toList();
        assertTrue(commands.contains("docker build -f " + FILE + " -t streamrec:dev ."), commands.toString());
        String compose = "docker compose -f " + ComposeFileTest.FILE + " up --build";
        assertTrue(commands.contains(compose), commands.toString());
        int dockerRuns = 0;
        for (String command : commands) {
            Matcher file = Pattern.compile("(?:-f|-k|kustomize) (\\S+)").matcher(command);
            while (file.find()) {
                assertTrue(Files.exists(Repo.path(file.group(1))), command + ": " + file.group(1) + " does not exist");
            }
            if (command.startsWith("docker run ")) {
                List<String> words = List.of(command.split("\\s+"));
                List<String> args = words.subList(words.indexOf("streamrec:dev") + 1, words.size());
                if (Cli.subcommand(args).equals("run")) {
                    Cli.runConfig(args, Map.of());
                }
                dockerRuns++;
            }
        }
        assertEquals(2, dockerRuns, "the trainer and the app from the image");
        assertTrue(section.contains("`java -XX:MaxRAMPercentage=60.0 -jar " + imageJarPath() + "`"),
                "README shows the image's java command");
        assertTrue(dockerfile().runtime().one("ENTRYPOINT").execForm().contains("-XX:MaxRAMPercentage=60.0"));
    }

    private static boolean isIgnored(List<PathMatcher> ignored, String relative) {
        Path p = Path.of(relative);
        for (int i = 1; i <= p.getNameCount(); i++) {
            Path prefix = p.subpath(0, i);
            for (PathMatcher m : ignored) {
                if (m.matches(prefix)) {
                    return true;
                }
            }
        }
        return false;
    }
}
