package io.streamrec.app;

import io.streamrec.app.config.AppConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crash case of static membership. A static member (group.instance.id) that restarts within the session timeout
 * takes its tasks back without a rebalance, but only once its own start-up is done (seconds: JVM, model, Kafka
 * Streams opening its stores), while the warm standby replicas on other instances sit idle; with non-transactional
 * stores under exactly-once it would also rebuild its wiped stores from the changelogs first. So: a marker file in
 * the state directory says "running"; a clean close removes it; a start that finds it (the last run crashed or was
 * killed) first removes this instance's static members from the group, which rebalances at once and lets the
 * assignor hand the tasks to the caught-up standbys. The restarted instance gets tasks back later; with the app's
 * transactional stores its local state survived the crash, so it is caught up when it does. When no other instance is
 * in the group there is nobody to hand the tasks to: it rejoins as the same static member and keeps them.
 */
final class CrashedMemberEviction {
    private static final Logger log = LoggerFactory.getLogger(CrashedMemberEviction.class);
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final AppConfig config;
    private final Path marker;

    CrashedMemberEviction(AppConfig config) {
        this.config = config;
        this.marker = config.stateDir().resolve(".running-" + config.applicationId());
    }

    /** Before Kafka Streams starts: evicts this instance's static members if the last run did not close cleanly. */
    void beforeStart() {
        String instanceId = config.passthrough().get(StreamsConfig.consumerPrefix("group.instance.id"));
        if (instanceId == null) instanceId = config.passthrough().get("group.instance.id");
        try {
            if (instanceId != null && Files.exists(marker)) {
                evict(instanceId);
            }
            Files.createDirectories(marker.getParent());
            Files.writeString(marker, Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + marker, e);
        }
    }

    /** Whether any member of the group is not one of {@code instanceId}'s own (Kafka Streams names them id-1, id-2, ...). */
    static boolean othersIn(List<String> groupInstanceIds, String instanceId) {
        for (String id : groupInstanceIds) {
            if (id == null || !id.startsWith(instanceId + "-")) return true;
        }
        return false;
    }

    /** After Kafka Streams closed cleanly (stores flushed, checkpoints written). */
    void closedCleanly() {
        try {
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            log.warn("could not remove {}; the next start will treat this run as a crash", marker, e);
        }
    }

    private void evict(String instanceId) {
        // Kafka Streams makes one static member per stream thread: group.instance.id + "-" + thread index
        List<MemberToRemove> members = new ArrayList<>();
        for (int t = 1; t <= config.numStreamThreads(); t++) members.add(new MemberToRemove(instanceId + "-" + t));
        StreamsConfig streams = new StreamsConfig(config.streamsProperties());
        try (Admin admin = Admin.create(streams.getAdminConfigs(config.applicationId() + "-crash-eviction"))) {
            var group = admin.describeConsumerGroups(List.of(config.applicationId())).all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(config.applicationId());
            if (group != null && !othersIn(group.members().stream().map(m -> m.groupInstanceId().orElse(null)).toList(), instanceId)) {
                // nobody else holds standbys to hand the tasks to: the restarted member just rejoins (its
                // transactional stores kept what was committed); removing it would only cost a slower join
                log.info("last run of {} did not close cleanly; it is alone in group {}, so it rejoins as it is",
                        instanceId, config.applicationId());
                return;
            }
            admin.removeMembersFromConsumerGroup(config.applicationId(), new RemoveMembersFromConsumerGroupOptions(members))
                    .all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("last run of {} did not close cleanly: removed its static members from group {} so standbys take"
                    + " over its tasks now instead of it restoring them", instanceId, config.applicationId());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownMemberIdException || e.getCause() instanceof GroupIdNotFoundException) {
                log.info("last run of {} did not close cleanly; its members already left group {}", instanceId,
                        config.applicationId());
            } else {
                log.warn("could not remove the static members of {} from group {}: {}", instanceId,
                        config.applicationId(), e.getCause().toString());
            }
        } catch (TimeoutException e) {
            log.warn("removing the static members of {} timed out after {}", instanceId, TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
