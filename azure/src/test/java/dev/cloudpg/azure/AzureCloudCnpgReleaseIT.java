package dev.cloudpg.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudpg.ChangeAction;
import dev.cloudpg.Network;
import dev.cloudpg.Plan;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.Secret;
import dev.cloudpg.Stack;
import dev.cloudpg.testkit.azure.FakeArm;
import dev.cloudpg.testkit.azure.FakeKubernetes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Azure provider installs the real CloudNativePG 1.30.0 release manifest and the real Barman Cloud Plugin 0.14.0
 * manifest (after the testkit's cert-manager stand-in) into FakeKubernetes, which then checks the Cluster,
 * ScheduledBackup and ObjectStore the provider writes against those releases' schemas. The manifest is not in the repository: it is read
 * from the folder named by {@code CLOUDPG_FIXTURES} (system property or environment), else {@code shared/fixtures}
 * beside the repository, and the test is skipped without it.
 */
class AzureCloudCnpgReleaseIT {
  static final String MANIFEST = "cnpg-1.30.0.yaml";
  static final String PLUGIN_MANIFEST = "plugin-barman-cloud-0.14.0-manifest.yaml";

  private FakeKubernetes kube;
  private FakeArm arm;
  private AzureCloud cloud;

  @BeforeEach
  void start() {
    AzureCloudIT.Fakes fakes = AzureCloudIT.Fakes.start();
    kube = fakes.kube();
    arm = fakes.arm();
    cloud = fakes.cloud();
  }

  @AfterEach
  void stop() {
    cloud.close();
    arm.close();
    kube.close();
  }

  private static Path fixture(String name) {
    String given = System.getProperty("CLOUDPG_FIXTURES");
    if (given == null || given.isBlank()) {
      given = System.getenv("CLOUDPG_FIXTURES");
    }
    Path folder = (given == null || given.isBlank() ? Path.of("..", "..", "shared", "fixtures") : Path.of(given))
        .toAbsolutePath().normalize();
    Path file = folder.resolve(name);
    Assumptions.assumeTrue(Files.isRegularFile(file), () -> "the fixture " + name + " is not in " + folder
        + " (set CLOUDPG_FIXTURES to the folder that has it)");
    return file;
  }

  @Test
  void apply_whenTheOperatorIsCnpg130_writesAClusterThatItsSchemaAccepts() {
    Path manifest = fixture(MANIFEST);
    Path plugin = fixture(PLUGIN_MANIFEST);
    Stack stack = Stack.builder().name("pg")
        .addNetworks(Network.builder().name("aks").cidr("10.224.0.0/16").build())
        .addDatabases(PostgresCluster.builder().name("pg").network("aks").instances(3).databaseName("app")
            .masterUsername("app").masterPassword(Secret.of("s3cret-Passw0rd")).deletionProtection(false)
            .addOptions(AksOptions.builder().cnpgVersion("1.30.0").cnpgManifest(manifest.toUri())
                .barmanPluginManifest(plugin.toUri()).certManagerManifest(kube.certManagerManifest()).build())
            .build())
        .build();

    cloud.apply(stack, ProvisioningListener.none());

    assertThat(kube.client().apiextensions().v1().customResourceDefinitions().withName("clusters.postgresql.cnpg.io")
        .get().getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties()).containsKey("spec");
    GenericKubernetesResource cluster = kube.client().genericKubernetesResources(AzureCloudIT.CNPG_CLUSTERS)
        .inNamespace("cnpg-database").withName("pg").get();
    assertThat((Object) cluster.get("spec", "plugins", 0, "name")).isEqualTo("barman-cloud.cloudnative-pg.io");
    assertThat((Object) cluster.get("spec", "plugins", 0, "isWALArchiver")).isEqualTo(true);
    assertThat(cluster.getAdditionalProperties().get("spec").toString()).doesNotContain("barmanObjectStore");
    assertThat(kube.client().apiextensions().v1().customResourceDefinitions()
        .withName("objectstores.barmancloud.cnpg.io").get().getSpec().getVersions().get(0).getSchema()
        .getOpenAPIV3Schema().getProperties().get("spec").getRequired()).contains("configuration");
    GenericKubernetesResource store = kube.client().genericKubernetesResources(AzureCloudIT.OBJECT_STORES)
        .inNamespace("cnpg-database").withName("pg-backups").get();
    assertThat((Object) store.get("spec", "configuration", "azureCredentials", "inheritFromAzureAD")).isEqualTo(true);
    GenericKubernetesResource backup = kube.client().genericKubernetesResources(AzureCloudIT.SCHEDULED_BACKUPS)
        .inNamespace("cnpg-database").withName("pg-daily").get();
    assertThat((Object) backup.get("spec", "method")).isEqualTo("plugin");
    assertThat((Object) cluster.get("status", "readyInstances")).isEqualTo(3);
    Plan again = cloud.plan(stack);
    assertThat(again.changes()).allSatisfy(c -> assertThat(c.action()).as(c.toString()).isEqualTo(ChangeAction.NOOP));
    cloud.apply(again, ProvisioningListener.none());
    assertThat(cloud.destroy(stack).succeeded()).isTrue();
  }
}
