package dev.cloudpg.testkit.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** FakeKubernetes driven the way an installer drives a cluster: from a kubeconfig FakeArm hands out. */
class FakeKubernetesTest {

  @Test
  void operatorManifest_whenServerSideApplied_isStoredAndTheDeploymentBecomesReady() throws Exception {
    try (FakeKubernetes k8s = FakeKubernetes.start(); KubernetesClient client = clientOf(k8s)) {
      List<HasMetadata> objects;
      try (InputStream in = k8s.operatorManifest().toURL().openStream()) {
        objects = client.load(in).items();
      }

      objects.forEach(o -> client.resource(o).forceConflicts().serverSideApply());

      assertThat(objects).extracting(HasMetadata::getKind).containsExactly("Namespace", "CustomResourceDefinition",
          "CustomResourceDefinition", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Deployment");
      assertThat(client.namespaces().withName("cnpg-system").get()).isNotNull();
      assertThat(client.rbac().clusterRoleBindings().withName("cnpg-manager-rolebinding").get()).isNotNull();
      Deployment ready = await(() -> client.apps().deployments().inNamespace("cnpg-system")
          .withName("cnpg-controller-manager").get(), d -> d.getStatus() != null
              && Integer.valueOf(1).equals(d.getStatus().getAvailableReplicas()));
      assertThat(ready.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Available"));
      objects.forEach(o -> client.resource(o).forceConflicts().serverSideApply());
    }
  }

  @Test
  void barmanPluginManifest_whenAppliedAfterCertManagers_isStoredAndEveryDeploymentBecomesReady() throws Exception {
    try (FakeKubernetes k8s = FakeKubernetes.start(); KubernetesClient client = clientOf(k8s)) {
      for (java.net.URI manifest : List.of(k8s.operatorManifest(), k8s.certManagerManifest(),
          k8s.barmanPluginManifest())) {
        try (InputStream in = manifest.toURL().openStream()) {
          client.load(in).items().forEach(o -> client.resource(o).forceConflicts().serverSideApply());
        }
      }

      for (String[] d : new String[][] {{"cert-manager", "cert-manager"}, {"cert-manager", "cert-manager-webhook"},
          {"cert-manager", "cert-manager-cainjector"}, {"cnpg-system", "barman-cloud"}}) {
        await(() -> client.apps().deployments().inNamespace(d[0]).withName(d[1]).get(), x -> x.getStatus() != null
            && Integer.valueOf(1).equals(x.getStatus().getAvailableReplicas()));
      }
      assertThat(client.genericKubernetesResources("cert-manager.io/v1", "Certificate").inNamespace("cnpg-system")
          .list().getItems()).extracting(c -> c.getMetadata().getName())
          .containsExactlyInAnyOrder("barman-cloud-server", "barman-cloud-client");
      GenericKubernetesResource store = new GenericKubernetesResourceBuilder().withApiVersion("barmancloud.cnpg.io/v1")
          .withKind("ObjectStore").withNewMetadata().withName("s").withNamespace("cnpg-system").endMetadata()
          .addToAdditionalProperties("spec", Map.of("configuration", Map.of("destinationPath", "https://a/b",
              "azureCredentials", Map.of("inheritFromAzureAD", "yes")))).build();
      assertThatThrownBy(() -> client.resource(store).create()).isInstanceOfSatisfying(
          io.fabric8.kubernetes.client.KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
    }
  }

  @Test
  void barmanPluginManifest_whenAppliedBeforeCertManagers_isRefusedAtItsCertificates() throws Exception {
    try (FakeKubernetes k8s = FakeKubernetes.start(); KubernetesClient client = clientOf(k8s)) {
      List<HasMetadata> objects;
      try (InputStream in = k8s.barmanPluginManifest().toURL().openStream()) {
        objects = client.load(in).items();
      }
      HasMetadata certificate = objects.stream().filter(o -> o.getKind().equals("Certificate")).findFirst()
          .orElseThrow();

      assertThatThrownBy(() -> client.resource(certificate).forceConflicts().serverSideApply())
          .isInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class);
    }
  }

  @Test
  void cnpgCluster_whenCreated_becomesHealthyWithServicesAfterItsDelay() throws Exception {
    try (FakeKubernetes k8s = FakeKubernetes.start(Duration.ofMinutes(3), 1000);
        KubernetesClient client = clientOf(k8s)) {
      try (InputStream in = k8s.operatorManifest().toURL().openStream()) {
        client.load(in).items().forEach(o -> client.resource(o).forceConflicts().serverSideApply());
      }
      client.resource(new NamespaceBuilder().withNewMetadata().withName("pg").endMetadata().build()).create();
      GenericKubernetesResource cluster = new GenericKubernetesResourceBuilder().withApiVersion("postgresql.cnpg.io/v1")
          .withKind("Cluster").withNewMetadata().withName("pg-main").withNamespace("pg").endMetadata()
          .addToAdditionalProperties("spec", Map.of("instances", 3, "storage", Map.of("size", "10Gi"))).build();

      long created = System.nanoTime(); // before the create: the fake starts the delay when it first sees the cluster
      client.resource(cluster).create();
      GenericKubernetesResource healthy = await(() -> client.genericKubernetesResources("postgresql.cnpg.io/v1",
          "Cluster").inNamespace("pg").withName("pg-main").get(), c -> c.get("status", "phase") != null);

      assertThat(Duration.ofNanos(System.nanoTime() - created)).isGreaterThanOrEqualTo(Duration.ofMillis(180));
      assertThat((String) healthy.get("status", "phase")).isEqualTo("Cluster in healthy state");
      assertThat((Object) healthy.get("status", "readyInstances")).isEqualTo(3);
      assertThat((String) healthy.get("status", "writeService")).isEqualTo("pg-main-rw");
      assertThat((Object) healthy.get("spec", "instances")).isEqualTo(3);
      assertThat(client.services().inNamespace("pg").list().getItems()).extracting(s -> s.getMetadata().getName())
          .containsExactlyInAnyOrder("pg-main-rw", "pg-main-ro", "pg-main-r");
      Service rw = client.services().inNamespace("pg").withName("pg-main-rw").get();
      assertThat(rw.getSpec().getPorts().get(0).getPort()).isEqualTo(5432);
    }
  }

  @Test
  void kubeconfigFromFakeArm_whenUsed_reachesFakeKubernetes() throws Exception {
    try (FakeKubernetes k8s = FakeKubernetes.start();
        FakeArm arm = FakeArm.builder().kubernetesApiServer(k8s.apiServer()).build()) {
      String kubeconfig = kubeconfigFrom(arm);

      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig))
          .withHttpClientFactory(new JdkHttpClientFactory()).build()) {
        client.resource(new NamespaceBuilder().withNewMetadata().withName("from-kubeconfig").endMetadata().build())
            .create();
      }

      assertThat(k8s.client().namespaces().withName("from-kubeconfig").get()).isNotNull();
    }
  }

  private static String kubeconfigFrom(FakeArm arm) throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    String group = arm.endpoint() + "subscriptions/s1/resourceGroups/rg?api-version=2021-04-01";
    String cluster = arm.endpoint() + "subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerService/"
        + "managedClusters/aks";
    send(http, "PUT", group, "{\"location\":\"westeurope\"}");
    send(http, "PUT", cluster + "?api-version=2025-09-01", "{\"location\":\"westeurope\",\"properties\":{}}");
    String answer = send(http, "POST", cluster + "/listClusterUserCredential?api-version=2025-09-01", "");
    String value = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer).at("/kubeconfigs/0/value")
        .asText();
    return new String(java.util.Base64.getDecoder().decode(value), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String send(java.net.http.HttpClient http, String method, String url, String body)
      throws Exception {
    return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
        .header("Authorization", "Bearer test").header("Content-Type", "application/json")
        .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
  }

  private static KubernetesClient clientOf(FakeKubernetes k8s) {
    return new KubernetesClientBuilder().withConfig(k8s.client().getConfiguration())
        .withHttpClientFactory(new JdkHttpClientFactory()).build();
  }

  private static <T> T await(Supplier<T> read, Predicate<T> done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    T value = read.get();
    while (value == null || !done.test(value)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not done in time: " + value);
      }
      Thread.sleep(20);
      value = read.get();
    }
    return value;
  }
}
