package io.streamrec.tools.loadtest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class RecommendationProbeTest {

    private static Set<ObjectName> consumers() throws Exception {
        return ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("kafka.consumer:type=app-info,*"), null);
    }

    /** The load test closes its probe without starting it when the app never reaches RUNNING. */
    @Test
    @Timeout(30)
    void closingAProbeThatWasNeverStartedClosesItsConsumer() throws Exception {
        Set<ObjectName> before = consumers();
        RecommendationProbe probe = new RecommendationProbe("localhost:1", "recommendations");
        assertTrue(consumers().size() > before.size(), "the probe's consumer registers its app-info MBean");
        probe.close();
        assertEquals(before, consumers(), "consumer left open");
    }
}
