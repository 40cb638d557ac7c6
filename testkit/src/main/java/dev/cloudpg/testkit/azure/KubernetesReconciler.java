package dev.cloudpg.testkit.azure;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What controllers would do in a real cluster, run every few milliseconds: Deployments become ready and CloudNativePG
 * clusters become healthy with their Services. Failures are left for the next round (a CRD not created yet, an update
 * that lost a race with the test's own).
 */
final class KubernetesReconciler implements Runnable {
  static final String CNPG_API_VERSION = "postgresql.cnpg.io/v1";
  static final String CNPG_KIND = "Cluster";
  static final String CNPG_PLURAL = "clusters";
  static final String HEALTHY = "Cluster in healthy state";

  private final KubernetesClient client;
  private final long clusterDelayNanos;
  /** When each cluster (by uid) was first seen, in {@link System#nanoTime()} terms. */
  private final Map<String, Long> firstSeen = new HashMap<>();

  KubernetesReconciler(KubernetesClient client, long clusterDelayNanos) {
    this.client = client;
    this.clusterDelayNanos = clusterDelayNanos;
  }

  @Override
  public void run() {
    try {
      deployments();
      clusters();
    } catch (KubernetesClientException e) {
      // tried again in the next round
    }
  }

  private void deployments() {
    for (Deployment d : client.apps().deployments().inAnyNamespace().list().getItems()) {
      Integer wanted = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      if (d.getStatus() != null && Objects.equals(d.getStatus().getReadyReplicas(), wanted)) {
        continue;
      }
      d.setStatus(new DeploymentStatusBuilder().withReplicas(wanted).withReadyReplicas(wanted)
          .withAvailableReplicas(wanted).withUpdatedReplicas(wanted)
          .withObservedGeneration(d.getMetadata().getGeneration())
          .withConditions(new DeploymentConditionBuilder().withType("Available").withStatus("True")
              .withReason("MinimumReplicasAvailable").build())
          .build());
      client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(d).updateStatus();
    }
  }

  private void clusters() {
    // discovery, not the CRD itself: CloudNativePG's is half a megabyte, and this runs fifty times a second
    APIResourceList served = client.getApiResources(CNPG_API_VERSION);
    if (served == null || served.getResources().stream().noneMatch(r -> CNPG_PLURAL.equals(r.getName()))) {
      return;
    }
    long now = System.nanoTime();
    for (GenericKubernetesResource c : client.genericKubernetesResources(CNPG_API_VERSION, CNPG_KIND)
        .inAnyNamespace().list().getItems()) {
      Object phase = c.getAdditionalProperties().get("status") instanceof Map<?, ?> status ? status.get("phase")
          : null;
      long seen = firstSeen.computeIfAbsent(c.getMetadata().getUid(), uid -> now);
      if (HEALTHY.equals(phase) || now - seen < clusterDelayNanos) {
        continue;
      }
      String namespace = c.getMetadata().getNamespace();
      String name = c.getMetadata().getName();
      service(namespace, name, "-rw", "primary");
      service(namespace, name, "-ro", "replica");
      service(namespace, name, "-r", null);
      Object spec = c.getAdditionalProperties().get("spec");
      Object instances = spec instanceof Map<?, ?> s && s.get("instances") instanceof Number n ? n.intValue() : 1;
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("phase", HEALTHY);
      status.put("instances", instances);
      status.put("readyInstances", instances);
      status.put("writeService", name + "-rw");
      status.put("readService", name + "-r");
      c.getAdditionalProperties().put("status", status);
      client.genericKubernetesResources(CNPG_API_VERSION, CNPG_KIND).inNamespace(namespace).resource(c)
          .updateStatus();
    }
  }

  /** A Service like those CloudNativePG makes; {@code role} null selects every instance. */
  private void service(String namespace, String cluster, String suffix, String role) {
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put("cnpg.io/cluster", cluster);
    if (role != null) {
      selector.put("cnpg.io/instanceRole", role);
    }
    client.services().inNamespace(namespace).resource(new ServiceBuilder().withNewMetadata()
        .withName(cluster + suffix).withNamespace(namespace).addToLabels("cnpg.io/cluster", cluster).endMetadata()
        .withNewSpec().withType("ClusterIP").withSelector(selector).addNewPort().withName("postgres")
        .withPort(5432).withNewTargetPort(5432).endPort().endSpec().build()).createOr(s -> s.update());
  }
}
