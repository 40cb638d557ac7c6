package dev.cloudpg.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudpg.ApplyFailedException;
import dev.cloudpg.ApplyOptions;
import dev.cloudpg.ChangeAction;
import dev.cloudpg.DestroyOptions;
import dev.cloudpg.Network;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.Plan;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProviderException;
import dev.cloudpg.ProvisioningEvent;
import dev.cloudpg.ProvisioningEvent.Type;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Secret;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.spi.TimeSource;
import dev.cloudpg.spi.VirtualClock;
import dev.cloudpg.testkit.azure.ArmRequest;
import dev.cloudpg.testkit.azure.FakeArm;
import dev.cloudpg.testkit.azure.FakeKubernetes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The Azure provider end to end through the real Azure SDK pipeline and fabric8, against FakeArm and FakeKubernetes,
 * all three on one virtual clock: the fakes take realistic durations (AKS 8 minutes, its node pool 5, the CNPG
 * cluster 4...) and the engine's own wait policies and retry delays apply, at no cost in real time.
 */
class AzureCloudIT {
  /** Where {@link Fakes#start()}'s clock starts, and how long its CNPG clusters take to become ready. */
  static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
  static final Duration CNPG_READY = Duration.ofMinutes(4);
  static final String SUBSCRIPTION = "00000000-0000-0000-0000-0000000000a1";
  static final TokenCredential TOKEN = request -> Mono.just(new AccessToken("test-token", OffsetDateTime.MAX));
  static final ResourceDefinitionContext CNPG_CLUSTERS = new ResourceDefinitionContext.Builder()
      .withGroup("postgresql.cnpg.io").withVersion("v1").withKind("Cluster").withPlural("clusters")
      .withNamespaced(true).build();
  static final ResourceDefinitionContext OBJECT_STORES = new ResourceDefinitionContext.Builder()
      .withGroup("barmancloud.cnpg.io").withVersion("v1").withKind("ObjectStore").withPlural("objectstores")
      .withNamespaced(true).build();
  static final ResourceDefinitionContext SCHEDULED_BACKUPS = new ResourceDefinitionContext.Builder()
      .withGroup("postgresql.cnpg.io").withVersion("v1").withKind("ScheduledBackup").withPlural("scheduledbackups")
      .withNamespaced(true).build();

  private final List<ProvisioningEvent> events = new CopyOnWriteArrayList<>();
  private VirtualClock clock;
  private FakeKubernetes kube;
  private FakeArm arm;
  private AzureCloud cloud;

  /** The cloud and both fakes on one virtual clock, as the README shows them. */
  record Fakes(VirtualClock clock, FakeKubernetes kube, FakeArm arm, AzureCloud cloud) {
    static Fakes start() {
      // snippet:azure-virtual-clock
      VirtualClock clock = TimeSource.virtual(Instant.parse("2030-01-01T00:00:00Z"));
      FakeKubernetes kube = FakeKubernetes.start(Duration.ofMinutes(4), clock);   // CNPG clusters ready after 4 min
      FakeArm arm = FakeArm.builder().realisticDurations().time(clock).kubernetesApiServer(kube.apiServer()).build();
      AzureCloud cloud = AzureCloud.builder().subscription(SUBSCRIPTION).tenant(arm.tenantId()).region("westus3")
          .credential(TOKEN).endpointOverride(arm.endpoint()).timeSource(clock).build();
      // end:azure-virtual-clock
      return new Fakes(clock, kube, arm, cloud);
    }

    void close() {
      cloud.close();
      arm.close();
      kube.close();
    }
  }

  @BeforeEach
  void start() {
    use(Fakes.start());
  }

  private void use(Fakes fakes) {
    clock = fakes.clock();
    kube = fakes.kube();
    arm = fakes.arm();
    cloud = fakes.cloud();
  }

  @AfterEach
  void stop() {
    new Fakes(clock, kube, arm, cloud).close();
  }

  private Stack stack(boolean deletionProtection) {
    return stack(kube, deletionProtection);
  }

  /** The test's stack: two networks, one three-instance database on the first, a peering between them. */
  static Stack stack(FakeKubernetes kube, boolean deletionProtection) {
    return Stack.builder().name("pg").putTags("owner", "user")
        .addNetworks(Network.builder().name("aks").cidr("10.224.0.0/16").build())
        .addNetworks(Network.builder().name("app").cidr("10.225.0.0/16").build())
        .addDatabases(PostgresCluster.builder().name("pg").network("aks").instances(3).databaseName("app")
            .masterUsername("app").masterPassword(Secret.of("s3cret-Passw0rd")).deletionProtection(deletionProtection)
            .addOptions(AksOptions.builder().kubernetesVersion("1.36").addAuthorizedIpRanges("203.0.113.7/32")
                .cnpgManifest(kube.operatorManifest()).barmanPluginManifest(kube.barmanPluginManifest())
                .certManagerManifest(kube.certManagerManifest()).build())
            .build())
        .addPeerings(Peering.builder().name("app").network("aks")
            .peer(PeerNetwork.azureVnet(SUBSCRIPTION, "rg-pg", "vnet-app")).build())
        .build();
  }

  private List<ArmRequest> requests(String method, String pathRegex) {
    return arm.requests().stream().filter(r -> r.method().equals(method)
        && java.util.regex.Pattern.compile(pathRegex, java.util.regex.Pattern.CASE_INSENSITIVE).matcher(r.path())
            .find()).toList();
  }

  private List<ProvisioningEvent> events(Type type, String key) {
    return events.stream().filter(e -> e.type() == type
        && e.resource().map(ResourceKey::toString).filter(key::equals).isPresent()).toList();
  }

  /** The writes to the stack's resources, without those of its lease (its Private DNS zone in the lease group). */
  private long mutatingStackRequests() {
    return arm.requests().stream().filter(r -> r.mutating() && !r.path().contains("/rg-cloudpg-leases")).count();
  }

  private List<ArmRequest> puts(String pathEnd) {
    return arm.requests().stream().filter(r -> r.method().equals("PUT") && r.status() < 300
        && r.path().toLowerCase().endsWith(pathEnd.toLowerCase())).toList();
  }

  @Test
  void apply_whenStackIsNew_makesProcedureBAndAnotherApplyChangesNothing() {
    Stack stack = stack(false);

    StackOutputs out = cloud.apply(stack, events::add);

    assertThat(out.database("pg").writerEndpoint()).isEqualTo("pg-rw.cnpg-database.svc.cluster.local");
    assertThat(events(Type.COMPLETED, "azure:aks-cluster/pg")).singleElement().satisfies(e -> assertThat(e.elapsed())
        .as("AKS takes its 8 minutes, seen by polls at most 30 s and their jitter apart")
        .isBetween(Duration.ofMinutes(8), Duration.ofMinutes(8).plusSeconds(36)));
    assertThat(events(Type.COMPLETED, "azure:cnpg-cluster/pg")).singleElement().satisfies(e -> assertThat(e.elapsed())
        .isBetween(CNPG_READY, CNPG_READY.plusSeconds(36)));
    assertThat(events).filteredOn(e -> e.type() == Type.RETRYING).isEmpty();
    assertThat(out.database("pg").readerEndpoint()).contains("pg-ro.cnpg-database.svc.cluster.local");
    assertThat(out.database("pg").attributes()).containsKeys("publicIp", "identityClientId", "identityPrincipalId",
        "identityId", "oidcIssuer", "storageAccount");
    assertThat(cloud.kubeconfig(stack, "pg").reveal()).contains(kube.apiServer().getPort() + "");

    JsonNode aks = puts("/managedClusters/aks-pg").get(0).body();
    JsonNode p = aks.get("properties");
    assertThat(aks.at("/sku/tier").asText()).isEqualTo("Standard");
    assertThat(aks.at("/identity/type").asText()).isEqualTo("UserAssigned");
    assertThat(aks.at("/identity/userAssignedIdentities").fieldNames().next()).endsWith("/id-pg");
    assertThat(p.at("/networkProfile/networkPlugin").asText()).isEqualTo("azure");
    assertThat(p.at("/networkProfile/networkPluginMode").asText()).isEqualTo("overlay");
    assertThat(p.at("/networkProfile/networkDataplane").asText()).isEqualTo("cilium");
    assertThat(p.at("/oidcIssuerProfile/enabled").asBoolean()).isTrue();
    assertThat(p.at("/securityProfile/workloadIdentity/enabled").asBoolean()).isTrue();
    assertThat(p.at("/azureMonitorProfile/metrics/enabled").asBoolean()).isTrue();
    assertThat(p.at("/addonProfiles/omsagent/config/logAnalyticsWorkspaceResourceID").asText()).endsWith("/log-pg");
    assertThat(p.at("/apiServerAccessProfile/authorizedIPRanges/0").asText()).isEqualTo("203.0.113.7/32");
    assertThat(p.at("/kubernetesVersion").asText()).isEqualTo("1.36");
    assertThat(p.at("/nodeResourceGroup").asText()).isEqualTo("rg-pg-pg-nodes");
    JsonNode system = p.at("/agentPoolProfiles/0");
    assertThat(system.get("enableAutoScaling").asBoolean()).isTrue();
    assertThat(system.get("minCount").asInt()).isEqualTo(2);
    assertThat(system.get("maxCount").asInt()).isEqualTo(3);
    assertThat(system.get("availabilityZones").toString()).isEqualTo("[\"1\",\"2\",\"3\"]");
    assertThat(puts("/agentPools/postgres")).as("the postgres pool comes with the cluster's create").isEmpty();
    JsonNode pool = p.at("/agentPoolProfiles/1");
    assertThat(pool.get("name").asText()).isEqualTo("postgres");
    assertThat(pool.get("mode").asText()).isEqualTo("User");
    assertThat(pool.get("enableAutoScaling").asBoolean()).isTrue();
    assertThat(pool.get("availabilityZones").toString()).isEqualTo("[\"1\",\"2\",\"3\"]");
    assertThat(pool.get("minCount").asInt()).isEqualTo(3);
    assertThat(pool.get("maxCount").asInt()).isEqualTo(6);
    assertThat(pool.at("/nodeLabels/workload").asText()).isEqualTo("postgres");

    Map<String, JsonNode> roles = puts("").stream().filter(r -> r.path().contains("/roleAssignments/"))
        .collect(Collectors.toMap(r -> r.body().at("/properties/roleDefinitionId").asText()
            .replaceAll(".*/", ""), r -> r.body()));
    JsonNode blob = roles.get("ba92f5b4-2d11-453d-a403-e96b0029c9fe");
    assertThat(blob.at("/properties/principalType").asText()).isEqualTo("ServicePrincipal");
    assertThat(puts("").stream().filter(r -> r.path().contains("/roleAssignments/")).map(ArmRequest::path))
        .anyMatch(path -> path.toLowerCase().contains("/storageaccounts/"))
        .anyMatch(path -> path.toLowerCase().startsWith("/subscriptions/" + SUBSCRIPTION
            + "/resourcegroups/rg-pg-pg-nodes/providers/microsoft.authorization/roleassignments/"));
    assertThat(roles).containsKeys("4d97b98b-1d4f-4787-a291-c67834d212e7", "b0d8363b-8ddd-447d-831f-62ca05bff136");

    GenericKubernetesResource cluster = kube.client().genericKubernetesResources(CNPG_CLUSTERS)
        .inNamespace("cnpg-database").withName("pg").get();
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) cluster.getAdditionalProperties().get("spec");
    assertThat(spec).containsEntry("instances", 3);
    assertThat(spec.toString()).contains("azure.workload.identity/client-id", "-standard-trixie")
        .doesNotContain("barmanObjectStore");
    assertThat((Object) cluster.get("spec", "plugins", 0, "name")).isEqualTo("barman-cloud.cloudnative-pg.io");
    assertThat((Object) cluster.get("spec", "plugins", 0, "isWALArchiver")).isEqualTo(true);
    assertThat((Object) cluster.get("spec", "plugins", 0, "parameters", "barmanObjectName")).isEqualTo("pg-backups");
    GenericKubernetesResource store = kube.client().genericKubernetesResources(OBJECT_STORES)
        .inNamespace("cnpg-database").withName("pg-backups").get();
    assertThat((Object) store.get("spec", "configuration", "azureCredentials", "inheritFromAzureAD")).isEqualTo(true);
    assertThat((Object) store.get("spec", "configuration", "destinationPath")).isEqualTo("https://"
        + out.database("pg").attributes().get("storageAccount") + ".blob.core.windows.net/backups");
    assertThat(store.getAdditionalProperties().toString()).doesNotContainIgnoringCase("key");
    GenericKubernetesResource backup = kube.client().genericKubernetesResources(SCHEDULED_BACKUPS)
        .inNamespace("cnpg-database").withName("pg-daily").get();
    assertThat((Object) backup.get("spec", "method")).isEqualTo("plugin");
    assertThat((Object) backup.get("spec", "schedule")).isEqualTo(AksOptions.DEFAULT_BACKUP_SCHEDULE);
    assertThat(kube.client().apps().deployments().inNamespace("cnpg-system").withName("barman-cloud").get())
        .isNotNull();
    assertThat(kube.client().apps().deployments().inNamespace("cert-manager").withName("cert-manager").get())
        .isNotNull();
    assertThat(cloud.outputs(stack).peering("app").state()).isEqualTo("Connected");

    long mutating = mutatingStackRequests();
    Plan again = cloud.plan(stack);
    assertThat(again.changes()).allSatisfy(c -> assertThat(c.action()).as(c.toString()).isEqualTo(ChangeAction.NOOP));
    cloud.apply(again, ProvisioningListener.none());
    assertThat(mutatingStackRequests()).as("writes beside the lease's").isEqualTo(mutating);
    assertThat(arm.resource("/subscriptions/" + SUBSCRIPTION + "/resourceGroups/rg-pg-pg-nodes")).get()
        .satisfies(nodes -> assertThat(nodes.path("tags").path("cloudpg:stack").asText())
            .as("AKS gives its node group the cluster's tags").isEqualTo("pg"));
    assertThat(cloud.stacks()).as("the node group, managed by the AKS cluster, is not a stack of its own")
        .singleElement().satisfies(s -> assertThat(s.resourcesByType()).containsEntry("aks-cluster", 1)
            .containsEntry("resource-group", 1));

    String group = "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/rg-pg";
    String account = group + "/providers/Microsoft.Storage/storageAccounts/"
        + out.database("pg").attributes().get("storageAccount");
    assertThat(cloud.destroy(stack).succeeded()).isTrue();
    assertThat(kube.client().namespaces().withName("cnpg-database").get())
        .as("no in-cluster delete: the objects go with the AKS cluster").isNotNull();
    assertThat(arm.resource(group + "/providers/Microsoft.ContainerService/managedClusters/aks-pg")).isEmpty();
    assertThat(arm.resource(account)).as("the backups outlive a destroy").isPresent();
    assertThat(arm.resource(group)).isPresent();

    assertThat(cloud.destroy(stack, ProvisioningListener.none(),
        DestroyOptions.builder().skipFinalSnapshot(true).build()).succeeded()).isTrue();
    assertThat(arm.resource(account)).isEmpty();
    assertThat(arm.resource(group)).isEmpty();
  }

  @Test
  void apply_whenAzureAnswersTransientErrors_retriesUntilAccepted() {
    arm.failNext("PUT", ".*/managedClusters/aks-pg", 409, "OperationNotAllowed",
        "Operation is not allowed because there's an in progress update managed cluster operation", 2);
    arm.failNext("PUT", ".*/roleAssignments/.*", 400, "PrincipalNotFound",
        "Principal 0000 does not exist in the directory", 1);
    arm.failNext("PUT", ".*/virtualNetworkPeerings/.*", 403, "AuthorizationFailed",
        "The client does not have authorization to perform action; if access was recently granted, please refresh "
            + "your credentials", 2);
    arm.failNext("PUT", ".*/userAssignedIdentities/.*", 429, "TooManyRequests", "slow down", 1, Duration.ofMillis(10));

    cloud.apply(stack(false), ProvisioningListener.none());

    assertThat(arm.requests()).filteredOn(r -> r.status() == 409 && r.path().endsWith("/aks-pg")).hasSize(2);
    assertThat(arm.requests()).filteredOn(r -> r.status() == 403).hasSize(2);
    assertThat(arm.requests()).filteredOn(r -> r.status() == 429).hasSize(1);
    assertThat(puts("/managedClusters/aks-pg")).hasSize(1);
  }

  @Test
  void apply_whenAStepFailsForGood_reportsItAndTheNextApplyResumes() {
    arm.failNext("PUT", ".*/managedClusters/aks-pg", 400, "InvalidParameter", "The VM size is not allowed", 1);
    Stack stack = stack(true);

    assertThatThrownBy(() -> cloud.apply(stack, ProvisioningListener.none()))
        .isInstanceOfSatisfying(ApplyFailedException.class, e -> {
          ResourceKey aks = ResourceKey.parse("azure:aks-cluster/pg");
          assertThat(e.failures()).containsOnlyKeys(aks);
          assertThat(e.failures().get(aks)).isInstanceOf(ProviderException.class)
              .hasMessageContaining("InvalidParameter").hasMessageContaining("VM size");
          assertThat(e.result().done()).contains(ResourceKey.parse("azure:managed-identity/pg"));
          assertThat(e.result().skipped()).contains(ResourceKey.parse("azure:cnpg-cluster/pg"));
        });
    int identities = puts("/userAssignedIdentities/id-pg").size();

    Plan resume = cloud.plan(stack);
    assertThat(resume.changes()).filteredOn(c -> c.action() == ChangeAction.CREATE).extracting(c -> c.resource())
        .contains(ResourceKey.parse("azure:aks-cluster/pg"))
        .doesNotContain(ResourceKey.parse("azure:managed-identity/pg"));
    cloud.apply(resume, ProvisioningListener.none());

    assertThat(puts("/userAssignedIdentities/id-pg")).hasSize(identities);
    assertThatThrownBy(() -> cloud.destroy(stack)).hasMessageContaining("azure:aks-cluster/pg");
    assertThat(cloud.destroy(stack, ProvisioningListener.none(),
        DestroyOptions.builder().overrideDeletionProtection(true).skipFinalSnapshot(true).build()).succeeded())
        .isTrue();
  }

  @Test
  void apply_whenAuthorizationFailsUntilARoleHasPropagated_retriesUntilItClears() {
    arm.failNext("PUT", "/virtualNetworkPeerings/vnet-aks-to-vnet-app$", 403, "AuthorizationFailed",
        "The client does not have authorization to perform action "
            + "'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write'", 5);

    cloud.apply(stack(false), events::add);

    assertThat(requests("PUT", "/virtualNetworkPeerings/vnet-aks-to-vnet-app$")).extracting(ArmRequest::status)
        .containsExactly(403, 403, 403, 403, 403, 201);
    assertThat(events(Type.RETRYING, "azure:vnet-peering/app")).hasSize(5)
        .allSatisfy(e -> assertThat(e.message()).contains("AuthorizationFailed"));
    assertThat(cloud.outputs(stack(false)).peering("app").state()).isEqualTo("Connected");
  }

  @Test
  void plan_whenAReadIsRefusedAuthorizationFailed_failsAtOnceAsAPermissionError() {
    arm.failNext("GET", "/resourcegroups/rg-pg$", 403, "AuthorizationFailed",
        "The client does not have authorization to perform action "
            + "'Microsoft.Resources/subscriptions/resourceGroups/read'", 5);

    assertThatThrownBy(() -> cloud.plan(stack(false))).isInstanceOfSatisfying(ProviderException.class,
        e -> assertThat(e.errorCode()).isEqualTo("AuthorizationFailed"));

    assertThat(arm.requests()).extracting(ArmRequest::status).containsExactly(403);
    assertThat(clock.now()).as("no retry waited").isEqualTo(START);
  }

  @Test
  void apply_whenAzureAnswers503Persistently_sendsExactlyMaxAttemptsRequests() {
    arm.failNext("PUT", "/userAssignedIdentities/id-pg$", 503, "ServiceUnavailable", "The service is unavailable.",
        100);
    Plan plan = cloud.plan(stack(false));

    assertThatThrownBy(() -> cloud.apply(plan, events::add, ApplyOptions.builder().maxAttempts(4).build()))
        .isInstanceOfSatisfying(ApplyFailedException.class, e -> assertThat(e.failures())
            .containsKey(ResourceKey.parse("azure:managed-identity/pg")));

    assertThat(requests("PUT", "/userAssignedIdentities/id-pg$")).extracting(ArmRequest::status)
        .containsExactly(503, 503, 503, 503);
    assertThat(arm.requests().stream().filter(r -> r.path().toLowerCase().endsWith("/userassignedidentities/id-pg"))
        .map(r -> r.method() + " " + r.status())).as("the engine reads before it sends a failed create again")
        .containsExactly("PUT 503", "GET 404", "PUT 503", "GET 404", "PUT 503", "GET 404", "PUT 503");
    assertThat(events(Type.RETRYING, "azure:managed-identity/pg")).hasSize(3);
  }

  @Test
  void plan_whenAReadAnswers503Persistently_readsExactlyMaxAttemptsTimes() {
    arm.failNext("GET", "/resourcegroups/rg-pg$", 503, "ServiceUnavailable", "The service is unavailable.", 100);

    assertThatThrownBy(() -> cloud.plan(stack(false))).isInstanceOfSatisfying(ProviderException.class,
        e -> assertThat(e.errorCode()).isEqualTo("ServiceUnavailable"));

    assertThat(requests("GET", "/resourcegroups/rg-pg$")).extracting(ArmRequest::status)
        .hasSize(ApplyOptions.defaults().maxAttempts()).containsOnly(503);
  }

  @Test
  void apply_whenRunAgainOnFreshFakesAndClock_repeatsEveryEventAtTheSameSimulatedTime() {
    Stack stack = stack(false);
    cloud.apply(stack, events::add);
    List<String> first = timeline(events);
    stop();
    events.clear();
    use(Fakes.start());

    cloud.apply(stack(false), events::add);

    assertThat(timeline(events)).isEqualTo(first).hasSizeGreaterThan(50);
  }

  /** Each event's type, resource, simulated time and elapsed time. */
  private static List<String> timeline(List<ProvisioningEvent> events) {
    return events.stream().map(e -> e.type() + " " + e.resource().map(ResourceKey::toString).orElse("run") + " "
        + Duration.between(START, e.at()) + " " + e.elapsed()).toList();
  }

  @Test
  void apply_whenTheFakesRunOnScaledRealTime_finishesAndDestroys() {
    stop();
    TimeSource scaled = TimeSource.scaled(START, 2000);
    kube = FakeKubernetes.start(CNPG_READY, scaled);
    arm = FakeArm.builder().realisticDurations().time(scaled).kubernetesApiServer(kube.apiServer()).build();
    cloud = AzureCloud.builder().subscription(SUBSCRIPTION).tenant(arm.tenantId()).region("westus3")
        .credential(TOKEN).endpointOverride(arm.endpoint()).timeSource(scaled).build();
    Stack stack = stack(false);

    StackOutputs out = cloud.apply(stack, events::add);

    assertThat(out.database("pg").writerEndpoint()).isEqualTo("pg-rw.cnpg-database.svc.cluster.local");
    assertThat(events(Type.COMPLETED, "azure:aks-cluster/pg")).singleElement()
        .satisfies(e -> assertThat(e.elapsed()).isGreaterThanOrEqualTo(Duration.ofMinutes(8)));
    assertThat(cloud.destroy(stack, ProvisioningListener.none(),
        DestroyOptions.builder().skipFinalSnapshot(true).build()).succeeded()).isTrue();
    assertThat(arm.resource("/subscriptions/" + SUBSCRIPTION + "/resourceGroups/rg-pg")).isEmpty();
  }

  @Test
  void apply_whenInTreeBackupIsAskedOfCnpg130_writesBarmanObjectStoreAndNoPluginObjects() {
    Stack stack = Stack.builder().name("pg")
        .addNetworks(Network.builder().name("aks").cidr("10.224.0.0/16").build())
        .addDatabases(PostgresCluster.builder().name("pg").network("aks").instances(3).deletionProtection(false)
            .addOptions(AksOptions.builder().inTreeBackup(true).monitoring(false).cnpgManifest(kube.operatorManifest())
                .build())
            .build())
        .build();

    cloud.apply(stack, ProvisioningListener.none());

    GenericKubernetesResource cluster = kube.client().genericKubernetesResources(CNPG_CLUSTERS)
        .inNamespace("cnpg-database").withName("pg").get();
    assertThat((Object) cluster.get("spec", "backup", "barmanObjectStore", "azureCredentials", "inheritFromAzureAD"))
        .isEqualTo(true);
    assertThat((Object) cluster.get("spec", "plugins")).isNull();
    assertThat((Object) cluster.get("spec", "imageName")).isEqualTo("ghcr.io/cloudnative-pg/postgresql:16");
    assertThat(kube.client().apps().deployments().inNamespace("cnpg-system").withName("barman-cloud").get()).isNull();
    assertThat(kube.client().apiextensions().v1().customResourceDefinitions()
        .withName("certificates.cert-manager.io").get()).isNull();
  }

  @Test
  void apply_whenTheClusterHasCertManagerAlready_leavesItAloneAndDestroyKeepsIt() throws Exception {
    for (io.fabric8.kubernetes.api.model.HasMetadata o : kube.client().load(kube.certManagerManifest().toURL()
        .openStream()).items()) {
      kube.client().resource(o).serverSideApply();
    }
    String before = kube.client().apps().deployments().inNamespace("cert-manager").withName("cert-manager").get()
        .getMetadata().getResourceVersion();
    Stack stack = stack(false);

    cloud.apply(stack, events::add);

    assertThat(kube.client().apps().deployments().inNamespace("cert-manager").withName("cert-manager").get()
        .getMetadata().getResourceVersion()).isEqualTo(before);
    assertThat(events).anySatisfy(e -> assertThat(e.message()).contains("cert-manager is already installed"));
    assertThat(cloud.destroy(stack).succeeded()).isTrue();
    assertThat(kube.client().apps().deployments().inNamespace("cert-manager").withName("cert-manager").get())
        .isNotNull();
    assertThat(kube.client().namespaces().withName("cert-manager").get()).isNotNull();
    assertThat(kube.client().apiextensions().v1().customResourceDefinitions()
        .withName("certificates.cert-manager.io").get()).isNotNull();
  }

  @Test
  void destroy_whenItDeletesTheAksCluster_sendsNoInClusterDeleteAndKeepsEveryCrd() {
    Stack stack = stack(false);
    cloud.apply(stack, ProvisioningListener.none());
    List<String> crds = kube.client().apiextensions().v1().customResourceDefinitions().list().getItems().stream()
        .map(c -> c.getMetadata().getName()).toList();
    assertThat(crds).contains("clusters.postgresql.cnpg.io", "objectstores.barmancloud.cnpg.io",
        "certificates.cert-manager.io");

    assertThat(cloud.destroy(stack, events::add, DestroyOptions.defaults()).succeeded()).isTrue();

    assertThat(kube.client().apiextensions().v1().customResourceDefinitions().list().getItems().stream()
        .map(c -> c.getMetadata().getName()).toList()).containsAll(crds);
    assertThat(kube.client().genericKubernetesResources(CNPG_CLUSTERS).inNamespace("cnpg-database").withName("pg")
        .get()).isNotNull();
    assertThat(events).filteredOn(e -> e.type() == Type.NOTE && e.message().contains("goes with the AKS cluster"))
        .extracting(e -> e.resource().orElseThrow().toString()).contains("azure:cnpg-cluster/pg",
            "azure:cnpg-operator/pg", "azure:cert-manager/pg", "azure:k8s-namespace/pg-cnpg-system");
    assertThat(arm.resource("/subscriptions/" + SUBSCRIPTION + "/resourceGroups/rg-pg/providers/"
        + "Microsoft.ContainerService/managedClusters/aks-pg")).isEmpty();
  }

  @Test
  void apply_whenThePostgresPoolRangeChanges_updatesItThroughTheAgentPoolApi() {
    cloud.apply(stack(false), ProvisioningListener.none());
    int clusterPuts = puts("/managedClusters/aks-pg").size();
    Stack wider = Stack.builder().name("pg").putTags("owner", "user")
        .addNetworks(Network.builder().name("aks").cidr("10.224.0.0/16").build())
        .addNetworks(Network.builder().name("app").cidr("10.225.0.0/16").build())
        .addDatabases(PostgresCluster.builder().name("pg").network("aks").instances(3).databaseName("app")
            .masterUsername("app").masterPassword(Secret.of("s3cret-Passw0rd")).deletionProtection(false)
            .addOptions(AksOptions.builder().kubernetesVersion("1.36").addAuthorizedIpRanges("203.0.113.7/32")
                .postgresPool(3, 9).cnpgManifest(kube.operatorManifest())
                .barmanPluginManifest(kube.barmanPluginManifest()).certManagerManifest(kube.certManagerManifest())
                .build())
            .build())
        .addPeerings(Peering.builder().name("app").network("aks")
            .peer(PeerNetwork.azureVnet(SUBSCRIPTION, "rg-pg", "vnet-app")).build())
        .build();

    Plan plan = cloud.plan(wider);
    assertThat(plan.changes()).filteredOn(c -> c.action() != ChangeAction.NOOP).extracting(c -> c.resource().toString())
        .containsExactly("azure:aks-node-pool/pg-postgres");
    cloud.apply(plan, ProvisioningListener.none());

    assertThat(puts("/agentPools/postgres")).singleElement().satisfies(r ->
        assertThat(r.body().at("/properties/maxCount").asInt()).isEqualTo(9));
    assertThat(puts("/managedClusters/aks-pg")).hasSize(clusterPuts);
  }

  @Test
  void plan_whenAksDoesNotOfferTheKubernetesVersionInTheRegion_refusesItAndWritesNothing() {
    Stack stack = Stack.builder().name("pg")
        .addNetworks(Network.builder().name("aks").cidr("10.224.0.0/16").build())
        .addDatabases(PostgresCluster.builder().name("pg").network("aks").instances(3)
            .addOptions(AksOptions.builder().kubernetesVersion("1.34").cnpgManifest(kube.operatorManifest()).build())
            .build())
        .build();

    assertThatThrownBy(() -> cloud.plan(stack)).isInstanceOfSatisfying(dev.cloudpg.InvalidSpecException.class, e ->
        assertThat(e.violations()).singleElement().satisfies(v -> {
          assertThat(v.path()).isEqualTo("databases[pg].options.kubernetesVersion");
          assertThat(v.problem()).contains("westus3", "1.35, 1.36, 1.37");
        }));
    assertThat(requests("GET", "/locations/westus3/kubernetesVersions")).hasSize(1);
    assertThat(arm.mutatingRequests()).isZero();
  }

  @Test
  void plan_whenATagBreaksArmsRules_refusesItNamingTagAndValueAndSendsNothing() {
    Map<String, String> many = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 48; i++) {
      many.put("t" + i, "v");
    }
    Stack bad = stack(false).withTags(Map.of("a<b>%", "x", "team/db", "y", "ok", "z"));
    Stack crowded = stack(false).withTags(many);

    assertThatThrownBy(() -> cloud.plan(bad)).isInstanceOfSatisfying(dev.cloudpg.InvalidSpecException.class, e -> {
      assertThat(e.violations()).extracting(dev.cloudpg.Violation::path).containsExactlyInAnyOrder("tags[a<b>%]",
          "tags[team/db]");
      assertThat(e.getMessage()).contains("tags[a<b>%]: \"a<b>%\" is not an Azure tag name", "< > % & \\ ? /");
    });
    assertThatThrownBy(() -> cloud.plan(crowded)).isInstanceOf(dev.cloudpg.InvalidSpecException.class)
        .hasMessageContaining("tags: \"48 tags\" are too many").hasMessageContaining("at most 47");
    Stack badDatabase = stack(false).withDatabases(stack(false).databases().get(0).withTags(Map.of("cost/center",
        "x")));
    assertThatThrownBy(() -> cloud.plan(badDatabase)).isInstanceOfSatisfying(dev.cloudpg.InvalidSpecException.class,
        e -> assertThat(e.violations()).extracting(dev.cloudpg.Violation::path)
            .containsExactly("databases[pg].tags[cost/center]"));
    Stack crowdedNetwork = stack(false).withNetworks(stack(false).networks().get(0).withTags(many),
        stack(false).networks().get(1));
    assertThatThrownBy(() -> cloud.plan(crowdedNetwork)).isInstanceOf(dev.cloudpg.InvalidSpecException.class)
        .hasMessageContaining("networks[aks].tags: \"49 tags\" are too many");
    assertThat(arm.requests()).isEmpty();
  }

  @Test
  void apply_whenTheSpecTagsANetworkAndADatabase_putsTheirTagsOnWhatIsMadeForThem() {
    Stack base = stack(false);
    Stack tagged = base.withNetworks(base.networks().get(0).withTags(Map.of("tier", "data")), base.networks().get(1))
        .withDatabases(base.databases().get(0).withTags(Map.of("cost-center", "4711")));

    StackOutputs out = cloud.apply(tagged, ProvisioningListener.none());

    for (String made : List.of("/userAssignedIdentities/id-pg", "/managedClusters/aks-pg", "/publicIPAddresses/pip-pg",
        "/workspaces/log-pg", "/storageAccounts/" + out.database("pg").attributes().get("storageAccount"))) {
      assertThat(puts(made)).as(made).isNotEmpty().allSatisfy(r -> {
        JsonNode t = r.body().path("tags");
        assertThat(t.path("cost-center").asText()).as(made).isEqualTo("4711");
        assertThat(t.path("owner").asText()).as(made + ": the stack's own tags too").isEqualTo("user");
        assertThat(t.path("cloudpg:stack").asText()).as(made).isEqualTo("pg");
      });
    }
    assertThat(puts("/virtualNetworks/vnet-aks")).first().satisfies(r -> assertThat(r.body().path("tags")
        .path("tier").asText()).isEqualTo("data"));
    assertThat(puts("/virtualNetworks/vnet-app")).first().satisfies(r -> assertThat(r.body().path("tags")
        .has("tier")).isFalse());
    assertThat(puts("/resourcegroups/rg-pg")).first().satisfies(r -> assertThat(r.body().path("tags")
        .has("cost-center")).as("the group is the stack's, not the database's").isFalse());
    assertThat(cloud.plan(tagged).hasChanges()).isFalse();
  }
}
