package io.streamrec.tools.loadtest;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * CPU time used, for the load test's per-list figures: wall-clock rates on a shared machine depend on what the other
 * tenants do, CPU time spent per list much less. The whole process (broker, app, producer, probe: all in one JVM) and
 * the Kafka Streams stream threads alone (named {@code ...-StreamThread-N}; their producers' I/O threads are not).
 */
final class CpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CpuTime() {}

    /** CPU nanoseconds of the whole JVM so far, or -1 when the platform does not say. */
    static long process() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** A Kafka Streams stream thread's name ({@code <client id>-StreamThread-N}), not one of its clients' threads. */
    static boolean isStreamThread(String name) {
        return name.contains("-StreamThread-") && !name.startsWith("kafka-");
    }

    /** CPU nanoseconds of the live stream threads so far (a thread that ended no longer counts). */
    static long streamThreads() {
        long sum = 0;
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        for (int k = 0; k < ids.length; k++) {
            // not their producers' network threads ("kafka-producer-network-thread | ...-StreamThread-1-producer"),
            // which earlier versions of this count included (~10-15 µs per list)
            if (infos[k] == null || !isStreamThread(infos[k].getThreadName())) continue;
            long t = THREADS.getThreadCpuTime(ids[k]);
            if (t > 0) sum += t;
        }
        return sum;
    }
}
