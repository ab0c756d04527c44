package io.streamrec.deploy;

/** What a Kubernetes Service address in {@code bootstrap.servers} says about where Kafka runs. */
final class BootstrapAddress {
    private BootstrapAddress() {
    }

    /** The namespace of the first bootstrap host: {@code svc.ns[.svc[.cluster.local]]}, else {@code own}. */
    static String namespace(String bootstrapServers, String own) {
        String[] labels = host(bootstrapServers).split("\\.");
        return labels.length >= 2 ? labels[1] : own;
    }

    /** Strimzi names the bootstrap Service {@code CLUSTER-kafka-bootstrap}. */
    static String strimziCluster(String bootstrapServers) {
        String service = host(bootstrapServers).split("\\.")[0];
        if (!service.endsWith("-kafka-bootstrap")) {
            throw new AssertionError(service + " is not a Strimzi bootstrap Service");
        }
        return service.substring(0, service.length() - "-kafka-bootstrap".length());
    }

    private static String host(String bootstrapServers) {
        String first = bootstrapServers.split(",")[0].trim();
        return first.substring(0, first.lastIndexOf(':'));
    }
}
