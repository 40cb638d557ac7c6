package dev.cloudpg.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudpg.Change;
import dev.cloudpg.InvalidSpecException;
import dev.cloudpg.Violation;
import dev.cloudpg.ChangeAction;
import dev.cloudpg.Network;
import dev.cloudpg.Plan;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.VirtualClock;
import dev.cloudpg.testkit.azure.ArmRequest;
import dev.cloudpg.testkit.azure.FakeArm;
import dev.cloudpg.testkit.azure.FakeKubernetes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Map;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Changes after the first apply, made in the spec or out of band, against FakeArm and FakeKubernetes. */
class AzureDayTwoIT {
  private AzureCloudIT.Fakes fakes;
  private VirtualClock clock;
  private FakeArm arm;
  private FakeKubernetes kube;
  private AzureCloud cloud;

  @BeforeEach
  void start() {
    fakes = AzureCloudIT.Fakes.start();
    clock = fakes.clock();
    arm = fakes.arm();
    kube = fakes.kube();
    cloud = fakes.cloud();
  }

  @AfterEach
  void stop() {
    fakes.close();
  }

  private Stack stack(AksOptions.Builder options) {
    return stack(options, db -> db);
  }

  /** The stack with the stand-in manifests unless {@code options} names others. */
  private Stack stack(AksOptions.Builder options, UnaryOperator<PostgresCluster.Builder> db) {
    AksOptions given = options.build();
    AksOptions.Builder o = options.cnpgManifest(kube.operatorManifest()).barmanPluginManifest(kube
        .barmanPluginManifest()).certManagerManifest(kube.certManagerManifest());
    if (given.cnpgManifest().getScheme().equals("file")) {
      o.cnpgManifest(given.cnpgManifest());
    }
    if (given.barmanPluginManifest().getScheme().equals("file")) {
      o.barmanPluginManifest(given.barmanPluginManifest());
    }
    return Stack.builder().name("pg")
        .addNetworks(Network.builder().name("aks").cidr("10.224.0.0/16").build())
        .addDatabases(db.apply(PostgresCluster.builder().name("pg").network("aks").instances(3).version("17")
            .databaseName("app").masterUsername("app").addOptions(o.build())).build())
        .build();
  }

  /** A copy of a stand-in manifest with one release's version replaced by another's, as a file. */
  private static URI newerManifest(URI manifest, String from, String to) throws Exception {
    String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(manifest).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(text).contains(from);
    Path file = Files.createTempFile("manifest-" + to, ".yaml");
    Files.writeString(file, text.replace(from, to));
    file.toFile().deleteOnExit();
    return file.toUri();
  }

  private List<ArmRequest> acceptedWritesSince(int from) {
    return writesSince(from).stream().filter(r -> r.status() < 300).toList();
  }

  private Stack stack() {
    return stack(AksOptions.builder());
  }

  /** The changes of a plan that are not NOOP. */
  private static List<Change> changes(Plan plan) {
    return plan.changes().stream().filter(c -> c.action() != ChangeAction.NOOP).toList();
  }

  /** The writes to the stack's resources, without those of its lease. */
  private List<ArmRequest> writesSince(int from) {
    return arm.requests().subList(from, arm.requests().size()).stream()
        .filter(r -> r.mutating() && !r.path().contains("/rg-cloudpg-leases")).toList();
  }

  /** A PUT of a changed copy of a resource, as someone in the portal would make it, then time for it to finish. */
  private void changeOutOfBand(String type, String apiVersion, Consumer<ObjectNode> change) throws Exception {
    JsonNode current = arm.resources(type).get(0);
    ObjectNode body = (ObjectNode) current.deepCopy();
    ((ObjectNode) body.get("properties")).remove("provisioningState");
    change.accept(body);
    HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
        arm.endpoint() + current.get("id").asText() + "?api-version=" + apiVersion))
        .header("Authorization", "Bearer portal").header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(new ObjectMapper().writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isLessThan(300);
    clock.advanceTo(clock.now().plus(Duration.ofMinutes(10)));
  }

  @Test
  void apply_whenGrafanaChangedOutOfBand_plansOneUpdateAndSendsOnlyItsPut() throws Exception {
    cloud.apply(stack());
    changeOutOfBand("Microsoft.Dashboard/grafana", "2023-09-01",
        body -> ((ObjectNode) body.get("properties")).put("zoneRedundancy", "Disabled"));

    Plan plan = cloud.plan(stack());
    int before = arm.requests().size();
    cloud.apply(plan);

    assertThat(changes(plan)).singleElement().satisfies(c -> {
      assertThat(c.resource()).isEqualTo(ResourceKey.parse("azure:grafana/pg"));
      assertThat(c.action()).isEqualTo(ChangeAction.UPDATE);
      assertThat(c.reason()).contains("properties.zoneRedundancy is \"Disabled\", declared \"Enabled\"");
    });
    assertThat(writesSince(before)).singleElement().satisfies(r -> {
      assertThat(r.method()).isEqualTo("PUT");
      assertThat(r.path()).endsWith("/grafana/" + arm.resources("Microsoft.Dashboard/grafana").get(0).get("name")
          .asText());
    });
    assertThat(arm.resources("Microsoft.Dashboard/grafana").get(0).at("/properties/zoneRedundancy").asText())
        .isEqualTo("Enabled");
    assertThat(changes(cloud.plan(stack()))).isEmpty();
  }

  @Test
  void plan_whenADataCollectionRuleLostADestinationOutOfBand_plansItsUpdate() throws Exception {
    cloud.apply(stack());
    changeOutOfBand("Microsoft.Insights/dataCollectionRules", "2022-06-01",
        body -> ((ObjectNode) body.get("properties")).putArray("dataFlows"));

    assertThat(changes(cloud.plan(stack()))).singleElement().satisfies(c -> {
      assertThat(c.action()).isEqualTo(ChangeAction.UPDATE);
      assertThat(c.reason()).contains("properties.dataFlows has 0 entries, declared 1");
    });
  }

  @Test
  void apply_whenKubernetesGoesUpOneMinor_upgradesControlPlaneThenSystemPoolThenPostgresPool() {
    cloud.apply(stack(AksOptions.builder().kubernetesVersion("1.35")));
    Stack next = stack(AksOptions.builder().kubernetesVersion("1.36"));

    Plan plan = cloud.plan(next);
    int before = arm.requests().size();
    cloud.apply(plan);

    assertThat(changes(plan)).extracting(c -> c.resource().toString()).containsExactly("azure:aks-cluster/pg",
        "azure:aks-node-pool/pg-postgres");
    assertThat(changes(plan).get(0).reason()).contains("kubernetesVersion: 1.35 -> 1.36",
        "systemPoolVersion: 1.35 -> 1.36");
    assertThat(changes(plan).get(1).reason()).isEqualTo("kubernetesVersion: 1.35 -> 1.36");
    List<ArmRequest> writes = acceptedWritesSince(before);
    assertThat(writes).extracting(r -> r.path().replaceAll(".*/managedClusters/", ""))
        .containsExactly("aks-pg", "aks-pg/agentPools/system", "aks-pg/agentPools/postgres");
    JsonNode controlPlane = writes.get(0).body().get("properties");
    assertThat(controlPlane.get("kubernetesVersion").asText()).isEqualTo("1.36");
    assertThat(controlPlane.get("agentPoolProfiles")).as("the pools stay where they are while the control plane moves")
        .allSatisfy(p -> assertThat(p.get("orchestratorVersion").asText()).isEqualTo("1.35"));
    assertThat(writes.subList(1, 3)).allSatisfy(r -> assertThat(r.body().at("/properties/orchestratorVersion")
        .asText()).isEqualTo("1.36"));
    assertThat(changes(cloud.plan(next))).isEmpty();
  }

  @Test
  void plan_whenKubernetesSkipsAMinorOrGoesDown_refusesWithTheWayThereAndWritesNothing() throws Exception {
    cloud.apply(stack());
    // A cluster made when AKS still offered 1.34, which CloudNativePG 1.30 supports up to 1.36.
    changeOutOfBand("Microsoft.ContainerService/managedClusters", "2025-09-01",
        body -> ((ObjectNode) body.get("properties")).put("kubernetesVersion", "1.34"));
    int before = arm.requests().size();

    assertThatThrownBy(() -> cloud.plan(stack(AksOptions.builder().kubernetesVersion("1.36"))))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations()).singleElement()
            .satisfies(v -> {
              assertThat(v.path()).isEqualTo("databases[pg].options.kubernetesVersion");
              assertThat(v.problem()).contains("one minor at a time", "apply 1.35 first, then 1.36");
            }));
    assertThat(writesSince(before)).isEmpty();
    cloud.apply(stack(AksOptions.builder().kubernetesVersion("1.35")));
    int after = arm.requests().size();
    assertThatThrownBy(() -> cloud.plan(stack(AksOptions.builder().kubernetesVersion("1.34"))))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("AKS does not downgrade");
    assertThat(writesSince(after)).isEmpty();
  }

  @Test
  void plan_whenAPoolsVmSizeChanges_refusesItWithTheWayForwardAndWritesNothing() {
    cloud.apply(stack());
    int before = arm.requests().size();

    assertThatThrownBy(() -> cloud.plan(stack(AksOptions.builder().postgresPool("standard_d16s_v3", 3, 6))))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations()).singleElement()
            .satisfies(v -> {
              assertThat(v.path()).isEqualTo("databases[pg].options.postgresPool.vmSize");
              assertThat(v.problem()).contains("does not change a pool's VM size in place", "az aks nodepool add");
            }));
    assertThatThrownBy(() -> cloud.plan(stack(AksOptions.builder().systemPool("standard_d4s_v3", 2, 3))))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("databases[pg].options.systemPool.vmSize");
    assertThat(writesSince(before)).isEmpty();
  }

  @Test
  void apply_whenTheSystemPoolRangeChanges_updatesTheClusterInPlace() {
    cloud.apply(stack());
    Stack wider = stack(AksOptions.builder().systemPool(AksOptions.builder().build().systemVmSize(), 2, 5));

    Plan plan = cloud.plan(wider);
    cloud.apply(plan);

    assertThat(changes(plan)).singleElement().satisfies(c -> assertThat(c.reason())
        .isEqualTo("systemPool: 2..3 zones 1,2,3 -> 2..5 zones 1,2,3"));
    assertThat(arm.resources("Microsoft.ContainerService/managedClusters/agentPools")).anySatisfy(p -> {
      assertThat(p.get("name").asText()).isEqualTo("system");
      assertThat(p.at("/properties/maxCount").asInt()).isEqualTo(5);
    });
    assertThat(changes(cloud.plan(wider))).isEmpty();
  }

  @Test
  void apply_whenInstancesStorageAndPostgresMinorChange_updatesTheClusterObjectInPlace() {
    cloud.apply(stack());
    Stack bigger = stack(AksOptions.builder().storageSize("64Gi"), db -> db.instances(4).version("17.6"));
    int before = arm.requests().size();

    Plan plan = cloud.plan(bigger);
    cloud.apply(plan);

    assertThat(changes(plan)).singleElement().satisfies(c -> {
      assertThat(c.resource()).isEqualTo(ResourceKey.parse("azure:cnpg-cluster/pg"));
      assertThat(c.reason()).contains("instances: 3 -> 4", "storage: 32Gi -> 64Gi",
          "image: ghcr.io/cloudnative-pg/postgresql:17-standard-trixie -> "
              + "ghcr.io/cloudnative-pg/postgresql:17.6-standard-trixie");
    });
    GenericKubernetesResource cluster = kube.client().genericKubernetesResources(AzureCloudIT.CNPG_CLUSTERS)
        .inNamespace("cnpg-database").withName("pg").get();
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) cluster.getAdditionalProperties().get("spec");
    assertThat(spec).containsEntry("instances", 4).containsEntry("imageName",
        "ghcr.io/cloudnative-pg/postgresql:17.6-standard-trixie").containsEntry("storage", Map.of("size", "64Gi"));
    assertThat(writesSince(before)).isEmpty();
    assertThat(changes(cloud.plan(bigger))).isEmpty();
  }

  @Test
  void apply_whenNewerOperatorAndPluginReleasesArePinned_appliesTheirManifestsInPlace() throws Exception {
    cloud.apply(stack());
    URI operator = newerManifest(kube.operatorManifest(), "1.30.0", "1.30.1");
    URI plugin = newerManifest(kube.barmanPluginManifest(), "0.14.0", "0.15.0");
    Stack newer = stack(AksOptions.builder().cnpgVersion("1.30.1").cnpgManifest(operator)
        .barmanPluginVersion("0.15.0").barmanPluginManifest(plugin));

    Plan plan = cloud.plan(newer);
    cloud.apply(plan);

    assertThat(changes(plan)).extracting(c -> c.resource() + " " + c.reason()).containsExactlyInAnyOrder(
        "azure:cnpg-operator/pg version: 1.30.0 -> 1.30.1", "azure:barman-cloud-plugin/pg version: 0.14.0 -> 0.15.0");
    Deployment manager = kube.client().apps().deployments().inNamespace("cnpg-system")
        .withName("cnpg-controller-manager").get();
    assertThat(manager.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).endsWith(":1.30.1");
    Deployment barman = kube.client().apps().deployments().inNamespace("cnpg-system").withName("barman-cloud").get();
    assertThat(barman.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).contains("0.15.0");
    assertThat(changes(cloud.plan(newer))).isEmpty();
  }

  @Test
  void apply_whenADatabaseLeavesTheSpec_refusesWhileProtectedKeepsWithoutPruneAndElsePrunesItsPlatform() {
    cloud.apply(stack());
    Stack without = Stack.builder().name("pg")
        .addNetworks(Network.builder().name("aks").cidr("10.224.0.0/16").build()).build();
    int before = arm.requests().size();

    assertThatThrownBy(() -> cloud.plan(without)).isInstanceOf(dev.cloudpg.DeletionProtectedException.class)
        .hasMessageContaining("azure:aks-cluster/pg").hasMessageContaining("deletionProtection(false)");
    Plan kept = cloud.plan(without, dev.cloudpg.ProvisioningListener.none(),
        dev.cloudpg.ApplyOptions.builder().prune(false).build());
    cloud.apply(kept, dev.cloudpg.ProvisioningListener.none(), dev.cloudpg.ApplyOptions.builder().prune(false)
        .build());
    assertThat(kept.changes()).filteredOn(c -> c.resource().toString().equals("azure:aks-cluster/pg"))
        .singleElement().satisfies(c -> assertThat(c.reason()).startsWith("kept:"));
    assertThat(writesSince(before)).isEmpty();

    cloud.apply(stack(AksOptions.builder(), db -> db.deletionProtection(false)));
    Plan prune = cloud.plan(without);
    cloud.apply(prune);

    assertThat(changes(prune)).extracting(c -> c.resource().toString()).contains("azure:aks-cluster/pg",
        "azure:managed-identity/pg", "azure:grafana/pg")
        .allSatisfy(k -> assertThat(k).doesNotContain("virtual-network").doesNotContain("storage-account"));
    assertThat(prune.notes()).anySatisfy(n -> assertThat(n).startsWith("kept azure:storage-account/pg")
        .contains("backups of a removed database", "skipFinalSnapshot(true)"));
    for (String type : List.of("Microsoft.ContainerService/managedClusters", "Microsoft.Dashboard/grafana",
        "Microsoft.ManagedIdentity/userAssignedIdentities", "Microsoft.Monitor/accounts",
        "Microsoft.Insights/dataCollectionRules", "Microsoft.Authorization/roleAssignments",
        "Microsoft.Network/publicIPAddresses")) {
      assertThat(arm.resources(type)).as(type).isEmpty();
    }
    assertThat(arm.resources("Microsoft.Storage/storageAccounts")).as("backups are kept").hasSize(1);
    assertThat(arm.resources("Microsoft.Network/virtualNetworks")).hasSize(1);
    Plan after = cloud.plan(without);
    assertThat(after.hasChanges()).as("the spec is met: the kept backup account is a note, no change").isFalse();
    assertThat(after.render()).contains("note: kept azure:storage-account/pg");
    assertThat(cloud.planDestroy(without, dev.cloudpg.DestroyOptions.builder().skipFinalSnapshot(true).build()).changes())
        .as("a destroy that skips the final snapshot still removes it")
        .anySatisfy(c -> assertThat(c.resource().toString()).isEqualTo("azure:storage-account/pg"));
  }

  @Test
  void apply_whenBackupsGoInTree_prunesTheObjectStoreAndScheduledBackupFoundByLabel() {
    cloud.apply(stack());
    Stack inTree = stack(AksOptions.builder().inTreeBackup(true));

    Plan plan = cloud.plan(inTree);
    cloud.apply(plan);

    assertThat(plan.changes()).filteredOn(c -> c.action() == ChangeAction.DELETE)
        .extracting(c -> c.resource().toString())
        .containsExactlyInAnyOrder("azure:cnpg-object-store/pg", "azure:cnpg-scheduled-backup/pg");
    assertThat(kube.client().genericKubernetesResources(AzureCloudIT.OBJECT_STORES).inAnyNamespace().list()
        .getItems()).isEmpty();
    assertThat(kube.client().genericKubernetesResources(AzureCloudIT.SCHEDULED_BACKUPS).inAnyNamespace().list()
        .getItems()).isEmpty();
    GenericKubernetesResource cluster = kube.client().genericKubernetesResources(AzureCloudIT.CNPG_CLUSTERS)
        .inNamespace("cnpg-database").withName("pg").get();
    assertThat(cluster.getAdditionalProperties().get("spec").toString()).contains("barmanObjectStore");
  }
}
