package io.streamrec.tools.loadtest;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bench JVM's CPU by what its threads do, read once at each end of a step: the whole process's (wall-clock rates
 * on a shared machine depend on the other tenants, CPU time per list much less) and each group's, so a step's CPU per
 * list can be split into the app's part and the parts
 * that belong to the broker and to the bench itself (all in one JVM here; on a deployment only the app's run in the
 * pod). Java threads are told apart by name (the app's contain its application id); threads the JVM hides from
 * {@link ThreadMXBean} (JIT compilers, GC) and RocksDB's native ones are read from {@code /proc/self/task} (Linux; elsewhere
 * their time is left in {@link Group#REST}).
 */
final class ThreadGroupCpu {
    enum Group {
        STREAM("stream threads"),
        APP_OTHER("app's other threads (its producers' I/O, global store, heartbeats)"),
        ROCKSDB("RocksDB flush and compaction"),
        LOAD("load generator and probe"),
        JIT("JIT compilers"),
        GC("GC"),
        REST("broker and the rest"),
        /** The broker's JVM, with {@code bench --broker-jvm} (its JIT and GC included); 0 otherwise. */
        BROKER_JVM("the broker's own JVM"),
        /**
         * The part of {@link #BROKER_JVM} its JIT compilers took: a broker warmed on the baseline topology still compiles
         * the app's paths for ~2 minutes after the app starts (docs/benchmarks.md, twenty-first pass), so a step with
         * this high is not the broker's steady state.
         */
        BROKER_JIT("of which the broker's JIT compilers");

        final String label;

        Group(String label) {
            this.label = label;
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on Linux). */
    private static final long TICKS_PER_SECOND = 100;

    /** The process id of the broker's own JVM ({@code bench --broker-jvm}), or -1 when the broker runs in this one. */
    private static volatile long brokerPid = -1;

    private ThreadGroupCpu() {}

    /** Counts the CPU of process {@code pid} (the broker's own JVM) as {@link Group#BROKER_JVM} from now on; -1 for none. */
    static void brokerProcess(long pid) {
        brokerPid = pid;
    }

    /** CPU nanoseconds so far of each group (indexed by ordinal) and of the whole process (-1 when the platform does not say). */
    record Snapshot(long[] groups, long process) {
        long nanos(Group g) {
            return groups[g.ordinal()];
        }
    }

    static Snapshot snapshot(String applicationId) {
        long[] nanos = new long[Group.values().length];
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        long javaThreads = 0;
        for (int k = 0; k < ids.length; k++) {
            if (infos[k] == null) continue;
            long t = THREADS.getThreadCpuTime(ids[k]);
            if (t <= 0) continue;
            nanos[javaGroup(infos[k].getThreadName(), applicationId).ordinal()] += t;
            javaThreads += t;
        }
        long hidden = nativeThreads(Path.of("/proc/self/task"), nanos);
        long process = process();
        // the broker and the rest: what the process spent beyond the threads told apart above
        nanos[Group.REST.ordinal()] += Math.max(0, process - javaThreads - hidden);
        if (brokerPid > 0) {
            nanos[Group.BROKER_JVM.ordinal()] = processNanos(Path.of("/proc/" + brokerPid + "/stat"));
            long[] broker = new long[nanos.length];
            nativeThreads(Path.of("/proc/" + brokerPid + "/task"), broker);
            nanos[Group.BROKER_JIT.ordinal()] = broker[Group.JIT.ordinal()];
        }
        return new Snapshot(nanos, process);
    }

    /** CPU nanoseconds of the whole JVM so far, or -1 when the platform does not say. */
    private static long process() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /**
     * A Kafka Streams stream thread's name ({@code <client id>-StreamThread-N}), not one of its clients' threads: not
     * its producer's network thread ({@code kafka-producer-network-thread | ...-StreamThread-1-producer}), which the
     * bench's stream-thread CPU included before (~10-15 µs per list).
     */
    static boolean isStreamThread(String name) {
        return name.contains("-StreamThread-") && !name.startsWith("kafka-");
    }

    static Group javaGroup(String name, String applicationId) {
        boolean app = name.contains(applicationId);
        if (app && isStreamThread(name)) return Group.STREAM;
        if (app) return Group.APP_OTHER;
        if (name.equals("main") || name.startsWith("loadtest-") || name.startsWith("kafka-producer-network-thread | producer-")
                || name.startsWith("kafka-admin-client-thread | adminclient-")) {
            return Group.LOAD;
        }
        return Group.REST;
    }

    /**
     * Adds the CPU of the JIT, GC and RocksDB threads under {@code taskDir} ({@code /proc/<pid>/task}: not visible as
     * Java threads) to their groups; returns their total.
     */
    private static long nativeThreads(Path taskDir, long[] nanos) {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(taskDir)) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended
                }
                int open = stat.indexOf('('), close = stat.lastIndexOf(')');
                if (open < 0 || close < open) continue;
                Group g = nativeGroup(stat.substring(open + 1, close));
                if (g == null) continue;
                long t = statNanos(stat, close);
                nanos[g.ordinal()] += t;
                sum += t;
            }
        } catch (IOException | RuntimeException e) {
            return sum; // not Linux, /proc unreadable or the process ended: left in REST
        }
        return sum;
    }

    /** utime + stime of a {@code /proc/.../stat} line in ns (fields 14 and 15: the 12th and 13th after the name). */
    private static long statNanos(String stat, int close) {
        String[] f = stat.substring(close + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * (1_000_000_000L / TICKS_PER_SECOND);
    }

    /** The CPU ns of a whole process from its {@code /proc/<pid>/stat}; 0 when unreadable (it ended, or not Linux). */
    private static long processNanos(Path stat) {
        try {
            String line = Files.readString(stat);
            int open = line.indexOf('('), close = line.lastIndexOf(')');
            return open < 0 || close < open ? 0 : statNanos(line, close);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static Group nativeGroup(String comm) {
        if (comm.startsWith("rocksdb:")) return Group.ROCKSDB;
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) return Group.JIT;
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) return Group.GC;
        return null;
    }

    /** µs per list of each group between two snapshots. */
    static Map<Group, Double> perList(Snapshot from, Snapshot to, long lists) {
        Map<Group, Double> m = new LinkedHashMap<>();
        for (Group g : Group.values()) m.put(g, (to.nanos(g) - from.nanos(g)) / 1e3 / Math.max(1, lists));
        return m;
    }

    /** The app's own threads' µs per list: what a pod would spend (without its share of GC and JIT). */
    static double app(Map<Group, Double> perList) {
        return perList.get(Group.STREAM) + perList.get(Group.APP_OTHER) + perList.get(Group.ROCKSDB);
    }

    static String line(Map<Group, Double> perList) {
        boolean ownJvm = brokerPid > 0;
        return String.format("  CPU µs per list by thread: the app's %.0f (stream threads %.0f, its other threads %.0f, RocksDB"
                        + " background %.0f); load generator and probe %.0f; JIT %.0f; GC %.0f; %s %.0f%s",
                app(perList), perList.get(Group.STREAM), perList.get(Group.APP_OTHER), perList.get(Group.ROCKSDB),
                perList.get(Group.LOAD), perList.get(Group.JIT), perList.get(Group.GC), ownJvm ? "the rest" : "broker and the rest",
                perList.get(Group.REST), ownJvm ? String.format("; the broker's own JVM %.0f (its JIT %.0f)", perList.get(Group.BROKER_JVM),
                        perList.get(Group.BROKER_JIT)) : "");
    }
}
