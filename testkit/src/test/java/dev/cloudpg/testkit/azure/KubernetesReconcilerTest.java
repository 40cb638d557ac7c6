package dev.cloudpg.testkit.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudpg.spi.TimeSource;
import dev.cloudpg.spi.VirtualClock;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** FakeKubernetes on a clock it shares with the code under test: controllers act exactly when the clock says. */
class KubernetesReconcilerTest {

  @Test
  void cnpgCluster_whenOnAVirtualClock_becomesHealthyExactlyAfterItsDelay() throws Exception {
    VirtualClock clock = TimeSource.virtual(Instant.parse("2030-01-01T00:00:00Z"));
    try (FakeKubernetes k8s = FakeKubernetes.start(Duration.ofMinutes(4), clock)) {
      KubernetesClient client = k8s.client();
      try (InputStream in = k8s.operatorManifest().toURL().openStream()) {
        client.load(in).items().forEach(o -> client.resource(o).forceConflicts().serverSideApply());
      }
      client.resource(new NamespaceBuilder().withNewMetadata().withName("pg").endMetadata().build()).create();
      client.resource(new GenericKubernetesResourceBuilder().withApiVersion("postgresql.cnpg.io/v1")
          .withKind("Cluster").withNewMetadata().withName("pg").withNamespace("pg").endMetadata()
          .addToAdditionalProperties("spec", Map.of("instances", 2)).build()).create();

      Deployment operator = client.apps().deployments().inNamespace("cnpg-system").withName("cnpg-controller-manager")
          .get();
      clock.sleep(Duration.ofMinutes(4).minusSeconds(1));
      Object before = cluster(client).get("status", "phase");
      clock.sleep(Duration.ofSeconds(1));
      GenericKubernetesResource after = cluster(client);

      assertThat(operator.getStatus().getAvailableReplicas()).isEqualTo(1);
      assertThat(before).isNull();
      assertThat((String) after.get("status", "phase")).isEqualTo("Cluster in healthy state");
      assertThat((Object) after.get("status", "readyInstances")).isEqualTo(2);
      assertThat(client.services().inNamespace("pg").withName("pg-rw").get()).isNotNull();
    }
  }

  private static GenericKubernetesResource cluster(KubernetesClient client) {
    return client.genericKubernetesResources("postgresql.cnpg.io/v1", "Cluster").inNamespace("pg").withName("pg")
        .get();
  }
}
