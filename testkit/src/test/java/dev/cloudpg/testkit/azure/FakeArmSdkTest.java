package dev.cloudpg.testkit.azure;

import static dev.cloudpg.testkit.azure.ArmClients.SUBSCRIPTION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.policy.AddHeadersPolicy;
import com.azure.core.management.SubResource;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.util.Context;
import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.core.util.polling.SyncPoller;
import com.azure.resourcemanager.authorization.AuthorizationManager;
import com.azure.resourcemanager.authorization.fluent.models.PermissionInner;
import com.azure.resourcemanager.authorization.fluent.models.RoleAssignmentInner;
import com.azure.resourcemanager.authorization.fluent.models.RoleDefinitionInner;
import com.azure.resourcemanager.authorization.models.PrincipalType;
import com.azure.resourcemanager.authorization.models.RoleAssignmentCreateParameters;
import com.azure.resourcemanager.containerservice.ContainerServiceManager;
import com.azure.resourcemanager.containerservice.fluent.models.AgentPoolInner;
import com.azure.resourcemanager.containerservice.fluent.models.ManagedClusterInner;
import com.azure.resourcemanager.containerservice.models.AgentPoolMode;
import com.azure.resourcemanager.containerservice.models.ManagedClusterAgentPoolProfile;
import com.azure.resourcemanager.containerservice.models.ManagedClusterOidcIssuerProfile;
import com.azure.resourcemanager.containerservice.models.ManagedClusterWindowsProfile;
import com.azure.resourcemanager.msi.MsiManager;
import com.azure.resourcemanager.msi.fluent.models.FederatedIdentityCredentialInner;
import com.azure.resourcemanager.msi.fluent.models.IdentityInner;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.fluent.models.PublicIpAddressInner;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkInner;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkPeeringInner;
import com.azure.resourcemanager.network.models.AddressSpace;
import com.azure.resourcemanager.network.models.VirtualNetworkPeeringState;
import com.azure.resourcemanager.resources.ResourceManager;
import com.azure.resourcemanager.resources.fluent.models.GenericResourceInner;
import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import com.azure.resourcemanager.storage.StorageManager;
import com.azure.resourcemanager.storage.fluent.models.BlobContainerInner;
import com.azure.resourcemanager.storage.fluent.models.StorageAccountInner;
import com.azure.resourcemanager.storage.models.Kind;
import com.azure.resourcemanager.storage.models.Sku;
import com.azure.resourcemanager.storage.models.SkuName;
import com.azure.resourcemanager.storage.models.StorageAccountCreateParameters;
import dev.cloudpg.spi.TimeSource;
import dev.cloudpg.spi.VirtualClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * FakeArm driven by the real Azure SDK inner clients, with the calls the Azure provider makes. Each test has its own
 * fake, so they run in parallel: the SDK's pollers wait a whole second between polls.
 */
@Execution(ExecutionMode.CONCURRENT)
class FakeArmSdkTest {
  private static final String GROUP = "rg-pg";
  private static final String LOCATION = "westeurope";

  private FakeArm arm;

  @AfterEach
  void stop() {
    if (arm != null) {
      arm.close();
    }
  }

  private FakeArm start(FakeArm.Builder builder) {
    arm = builder.build();
    return arm;
  }

  private ResourceManager resources() {
    return ResourceManager.authenticate(ArmClients.pipeline(arm), ArmClients.profile(arm))
        .withSubscription(SUBSCRIPTION);
  }

  private void group() {
    resources().resourceGroups().manager().serviceClient().getResourceGroups()
        .createOrUpdate(GROUP, new ResourceGroupInner().withLocation(LOCATION));
  }

  private String groupId() {
    return "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/" + GROUP;
  }

  @Test
  void resourceGroup_whenCreatedCheckedAndDeleted_behavesLikeArm() {
    start(FakeArm.builder());
    var groups = resources().resourceGroups().manager().serviceClient().getResourceGroups();

    ResourceGroupInner created = groups.createOrUpdate(GROUP, new ResourceGroupInner().withLocation(LOCATION)
        .withTags(Map.of("owner", "cloudpg")));

    assertThat(created.id()).isEqualTo(groupId());
    assertThat(created.properties().provisioningState()).isEqualTo("Succeeded");
    assertThat(groups.get(GROUP.toUpperCase()).tags()).containsEntry("owner", "cloudpg");
    assertThat(groups.checkExistence(GROUP)).isTrue();
    groups.delete(GROUP);
    assertThat(groups.checkExistence(GROUP)).isFalse();
    assertThatThrownBy(() -> groups.get(GROUP)).isInstanceOfSatisfying(ManagementException.class,
        e -> assertThat(e.getValue().getCode()).isEqualTo("ResourceGroupNotFound"));
  }

  @Test
  void identity_whenCreated_hasServerComputedIdsAndTakesFederatedCredential() {
    start(FakeArm.builder());
    group();
    MsiManager msi = MsiManager.authenticate(ArmClients.pipeline(arm), ArmClients.profile(arm));

    IdentityInner identity = msi.serviceClient().getUserAssignedIdentities().createOrUpdate(GROUP, "id-pg",
        new IdentityInner().withLocation(LOCATION));
    FederatedIdentityCredentialInner credential = msi.serviceClient().getFederatedIdentityCredentials()
        .createOrUpdate(GROUP, "id-pg", "cnpg-backup", new FederatedIdentityCredentialInner()
            .withIssuer("https://issuer.example/").withSubject("system:serviceaccount:pg:pg")
            .withAudiences(List.of("api://AzureADTokenExchange")));

    assertThat(identity.principalId()).isNotNull();
    assertThat(identity.clientId()).isNotNull().isNotEqualTo(identity.principalId());
    assertThat(identity.tenantId()).hasToString(arm.tenantId());
    assertThat(credential.subject()).isEqualTo("system:serviceaccount:pg:pg");
    assertThat(msi.serviceClient().getUserAssignedIdentities().getByResourceGroup(GROUP, "id-pg").principalId())
        .isEqualTo(identity.principalId());
  }

  @Test
  void putUnderMissingGroup_whenSent_failsResourceGroupNotFound() {
    start(FakeArm.builder());
    MsiManager msi = MsiManager.authenticate(ArmClients.pipeline(arm), ArmClients.profile(arm));

    assertThatThrownBy(() -> msi.serviceClient().getUserAssignedIdentities().createOrUpdate("nowhere", "id",
        new IdentityInner().withLocation(LOCATION))).isInstanceOfSatisfying(ManagementException.class,
            e -> assertThat(e.getValue().getCode()).isEqualTo("ResourceGroupNotFound"));
  }

  @Test
  void storageAccount_whenBeginCreate_pollsToDoneWithBlobEndpointAndContainer() {
    start(FakeArm.builder().realisticDurations());
    group();
    StorageManager storage = StorageManager.authenticate(ArmClients.pipeline(arm), ArmClients.profile(arm));
    StorageAccountCreateParameters parameters = new StorageAccountCreateParameters()
        .withSku(new Sku().withName(SkuName.STANDARD_ZRS)).withKind(Kind.STORAGE_V2).withLocation(LOCATION);

    SyncPoller<?, StorageAccountInner> poller = storage.serviceClient().getStorageAccounts()
        .beginCreate(GROUP, "pgbackups01", parameters);
    StorageAccountInner account = poller.getFinalResult();
    BlobContainerInner container = storage.serviceClient().getBlobContainers()
        .create(GROUP, "pgbackups01", "backups", new BlobContainerInner());

    assertThat(account.primaryEndpoints().blob()).isEqualTo("https://pgbackups01.blob.core.windows.net/");
    assertThat(storage.serviceClient().getStorageAccounts().getByResourceGroup(GROUP, "pgbackups01")
        .provisioningState()).hasToString("Succeeded");
    assertThat(container.name()).isEqualTo("backups");
    assertThat(arm.requests()).anyMatch(r -> r.method().equals("PUT") && r.status() == 202);
  }

  @Test
  void storageAccount_whenNameInvalidOrTaken_failsLikeArm() {
    start(FakeArm.builder());
    group();
    var accounts = StorageManager.authenticate(ArmClients.pipeline(arm), ArmClients.profile(arm)).serviceClient()
        .getStorageAccounts();
    StorageAccountCreateParameters parameters = new StorageAccountCreateParameters()
        .withSku(new Sku().withName(SkuName.STANDARD_LRS)).withKind(Kind.STORAGE_V2).withLocation(LOCATION);
    accounts.beginCreate(GROUP, "taken01", parameters);
    resources().resourceGroups().manager().serviceClient().getResourceGroups()
        .createOrUpdate("rg-other", new ResourceGroupInner().withLocation(LOCATION));

    assertThatThrownBy(() -> accounts.beginCreate(GROUP, "Not_Valid", parameters))
        .isInstanceOfSatisfying(ManagementException.class,
            e -> assertThat(e.getValue().getCode()).isEqualTo("AccountNameInvalid"));
    assertThatThrownBy(() -> accounts.beginCreate("rg-other", "taken01", parameters))
        .isInstanceOfSatisfying(ManagementException.class,
            e -> assertThat(e.getValue().getCode()).isEqualTo("StorageAccountAlreadyTaken"));
  }

  @Test
  void roleAssignment_whenCreatedAgainUnderAnotherName_failsRoleAssignmentExists() {
    start(FakeArm.builder());
    group();
    var authorization = AuthorizationManager.authenticate(ArmClients.pipeline(arm), ArmClients.profile(arm))
        .roleServiceClient();
    String role = "/subscriptions/" + SUBSCRIPTION
        + "/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    String scope = groupId() + "/providers/Microsoft.Storage/storageAccounts/pgbackups01";
    RoleAssignmentCreateParameters parameters = new RoleAssignmentCreateParameters().withRoleDefinitionId(role)
        .withPrincipalId("11111111-2222-3333-4444-555555555555").withPrincipalType(PrincipalType.SERVICE_PRINCIPAL);

    RoleAssignmentInner created = authorization.getRoleAssignments().create(scope,
        "6f1c0e5a-0000-4000-8000-000000000001", parameters);

    assertThat(created.scope()).isEqualTo(scope);
    assertThat(created.principalType()).isEqualTo(PrincipalType.SERVICE_PRINCIPAL);
    assertThat(authorization.getRoleAssignments().get(scope, "6f1c0e5a-0000-4000-8000-000000000001").principalId())
        .isEqualTo("11111111-2222-3333-4444-555555555555");
    assertThat(authorization.getRoleAssignments().listForScope(scope).stream()).hasSize(1);
    assertThatThrownBy(() -> authorization.getRoleAssignments().create(scope,
        "6f1c0e5a-0000-4000-8000-000000000002", parameters)).isInstanceOfSatisfying(ManagementException.class,
            e -> assertThat(e.getValue().getCode()).isEqualTo("RoleAssignmentExists"));
    authorization.getRoleAssignments().delete(scope, "6f1c0e5a-0000-4000-8000-000000000001");
    assertThatThrownBy(() -> authorization.getRoleAssignments().get(scope, "6f1c0e5a-0000-4000-8000-000000000001"))
        .isInstanceOfSatisfying(ManagementException.class,
            e -> assertThat(e.getValue().getCode()).isEqualTo("RoleAssignmentNotFound"));
  }

  @Test
  void roleDefinitions_whenCustomRoleCreated_listByNameFindsItAndBuiltIns() {
    start(FakeArm.builder());
    var definitions = AuthorizationManager.authenticate(ArmClients.pipeline(arm), ArmClients.profile(arm))
        .roleServiceClient().getRoleDefinitions();
    String scope = "/subscriptions/" + SUBSCRIPTION;

    RoleDefinitionInner custom = definitions.createOrUpdate(scope, "0f2b8a4c-0000-4000-8000-000000000003",
        new RoleDefinitionInner().withRoleName("cloudpg peering").withRoleType("CustomRole")
            .withAssignableScopes(List.of(scope)).withPermissions(List.of(new PermissionInner()
                .withActions(List.of("Microsoft.Network/virtualNetworks/peer/action")))));

    assertThat(custom.roleName()).isEqualTo("cloudpg peering");
    assertThat(definitions.list(scope, "roleName eq 'cloudpg peering'", Context.NONE).stream()
        .map(RoleDefinitionInner::name))
        .containsExactly("0f2b8a4c-0000-4000-8000-000000000003");
    assertThat(definitions.list(scope, "roleName eq 'Network Contributor'", Context.NONE).stream()
        .map(RoleDefinitionInner::name))
        .containsExactly("4d97b98b-1d4f-4787-a291-c67834d212e7");
    assertThatThrownBy(() -> definitions.get(scope, "0f2b8a4c-0000-4000-8000-00000000ffff"))
        .isInstanceOfSatisfying(ManagementException.class,
            e -> assertThat(e.getValue().getCode()).isEqualTo("RoleDefinitionDoesNotExist"));
  }

  @Test
  void genericResources_whenCreatedById_succeedWithTheirApiVersions() {
    start(FakeArm.builder());
    group();
    var generic = resources().genericResources().manager().serviceClient().getResources();
    Map<String, String> versions = Map.of(
        groupId() + "/providers/Microsoft.Dashboard/grafana/graf-pg", "2023-09-01",
        groupId() + "/providers/Microsoft.Monitor/accounts/amw-pg", "2023-04-03",
        groupId() + "/providers/Microsoft.OperationalInsights/workspaces/law-pg", "2023-09-01");

    versions.entrySet().parallelStream().forEach(v -> generic.createOrUpdateById(v.getKey(), v.getValue(),
        new GenericResourceInner().withLocation(LOCATION).withProperties(Map.of("publicNetworkAccess", "Enabled"))));

    for (var v : versions.entrySet()) {
      GenericResourceInner read = generic.getById(v.getKey(), v.getValue());
      assertThat(read.id()).isEqualTo(v.getKey());
      assertThat(read.properties()).asString().contains("provisioningState=Succeeded");
      assertThat(arm.requests()).anyMatch(r -> r.method().equals("PUT") && r.path().equals(v.getKey())
          && r.apiVersion().equals(v.getValue()));
    }
  }

  @Test
  void managedCluster_whenCreatedWithRealisticDurations_pollsByGetUntilSucceeded() {
    VirtualClock clock = TimeSource.virtual(Instant.parse("2030-01-01T00:00:00Z"));
    start(FakeArm.builder().realisticDurations().time(clock));
    group();
    var clusters = aks().serviceClient().getManagedClusters();

    SyncPoller<?, ManagedClusterInner> poller = clusters.beginCreateOrUpdate(GROUP, "aks-pg", cluster());
    ManagedClusterInner creating = clusters.getByResourceGroup(GROUP, "aks-pg");
    clock.sleep(Duration.ofMinutes(8).minusSeconds(1));
    ManagedClusterInner almost = clusters.getByResourceGroup(GROUP, "aks-pg");
    clock.sleep(Duration.ofSeconds(1));
    ManagedClusterInner done = clusters.getByResourceGroup(GROUP, "aks-pg");

    assertThat(poller.poll().getStatus()).isEqualTo(LongRunningOperationStatus.SUCCESSFULLY_COMPLETED);
    assertThat(creating.provisioningState()).isEqualTo("Creating");
    assertThat(almost.provisioningState()).isEqualTo("Creating");
    assertThat(done.provisioningState()).isEqualTo("Succeeded");
    assertThat(done.oidcIssuerProfile().issuerUrl())
        .startsWith("https://westeurope.oic.prod-aks.azure.com/" + arm.tenantId() + "/");
    assertThat(done.nodeResourceGroup()).isEqualTo("MC_rg-pg_aks-pg_westeurope");
    assertThat(done.fqdn()).endsWith(".hcp.westeurope.azmk8s.io");
    assertThat(arm.resource("/subscriptions/" + SUBSCRIPTION + "/resourceGroups/MC_rg-pg_aks-pg_westeurope"))
        .isPresent();
    assertThat(aks().serviceClient().getAgentPools().list(GROUP, "aks-pg").stream().map(AgentPoolInner::name))
        .containsExactly("system");
  }

  @Test
  void managedCluster_whenSdkWaitsForCompletion_finishesQuickly() {
    start(FakeArm.builder().realisticDurations());
    group();

    long started = System.nanoTime();
    SyncPoller<?, ManagedClusterInner> poller = aks().serviceClient().getManagedClusters()
        .beginCreateOrUpdate(GROUP, "aks-pg", cluster());
    poller.waitForCompletion(Duration.ofSeconds(10));
    ManagedClusterInner done = poller.getFinalResult();

    assertThat(done.provisioningState()).isEqualTo("Succeeded");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void agentPool_whenClusterOperationInProgress_failsOperationNotAllowed() {
    // On a virtual clock the cluster stays busy until the test moves time on, however slow the machine.
    VirtualClock clock = TimeSource.virtual(Instant.parse("2030-01-01T00:00:00Z"));
    start(FakeArm.builder().realisticDurations().time(clock));
    group();
    var pools = aks().serviceClient().getAgentPools();
    aks().serviceClient().getManagedClusters().beginCreateOrUpdate(GROUP, "aks-pg", cluster());
    AgentPoolInner pool = new AgentPoolInner().withCount(3).withVmSize("Standard_D4s_v5").withMode(AgentPoolMode.USER);

    assertThatThrownBy(() -> pools.beginCreateOrUpdate(GROUP, "aks-pg", "postgres", pool))
        .isInstanceOfSatisfying(ManagementException.class, e -> {
          assertThat(e.getResponse().getStatusCode()).isEqualTo(409);
          assertThat(e.getValue().getCode()).isEqualTo("OperationNotAllowed");
        });
    clock.sleep(Duration.ofMinutes(8));
    assertThat(aks().serviceClient().getManagedClusters().getByResourceGroup(GROUP, "aks-pg").provisioningState())
        .isEqualTo("Succeeded");
    SyncPoller<?, AgentPoolInner> creating = pools.beginCreateOrUpdate(GROUP, "aks-pg", "postgres", pool);
    clock.sleep(Duration.ofMinutes(5));
    AgentPoolInner created = creating.getFinalResult();
    assertThat(created.provisioningState()).isEqualTo("Succeeded");
    assertThat(aks().serviceClient().getManagedClusters().getByResourceGroup(GROUP, "aks-pg").agentPoolProfiles())
        .extracting(ManagedClusterAgentPoolProfile::name).containsExactlyInAnyOrder("system", "postgres");
  }

  @Test
  void clusterUserCredentials_whenListed_pointAtTheKubernetesApiServer() {
    start(FakeArm.builder().kubernetesApiServer(URI.create("http://127.0.0.1:6443")));
    group();
    aks().serviceClient().getManagedClusters().beginCreateOrUpdate(GROUP, "aks-pg", cluster());

    var credentials = aks().serviceClient().getManagedClusters().listClusterUserCredentials(GROUP, "aks-pg");

    String kubeconfig = new String(credentials.kubeconfigs().get(0).value(), StandardCharsets.UTF_8);
    assertThat(credentials.kubeconfigs().get(0).name()).isEqualTo("clusterUser");
    assertThat(kubeconfig).contains("server: http://127.0.0.1:6443").contains("token: ");
    assertThat(arm.requests()).filteredOn(r -> r.path().endsWith("listClusterUserCredential"))
        .allMatch(r -> r.body() == null);
  }

  @Test
  void publicIpAndVnet_whenCreated_getAddressAndSubnet() {
    start(FakeArm.builder());
    group();
    NetworkManager network = NetworkManager.authenticate(ArmClients.pipeline(arm), ArmClients.profile(arm));

    PublicIpAddressInner ip = network.serviceClient().getPublicIpAddresses().createOrUpdate(GROUP, "pip-pg",
        new PublicIpAddressInner().withLocation(LOCATION));
    VirtualNetworkInner vnet = network.serviceClient().getVirtualNetworks().createOrUpdate(GROUP, "vnet-pg",
        vnet("10.40.0.0/16"));

    assertThat(ip.ipAddress()).startsWith("203.0.113.");
    assertThat(vnet.subnets()).extracting(SubnetInner::name).containsExactly("aks");
    assertThat(vnet.provisioningState()).hasToString("Succeeded");
  }

  @Test
  void vnetPeering_whenCreatedBothWays_becomesConnected() {
    start(FakeArm.builder());
    group();
    NetworkManager network = NetworkManager.authenticate(ArmClients.pipeline(arm), ArmClients.profile(arm));
    NetworkManager crossTenant = NetworkManager.authenticate(ArmClients.pipeline(arm, new AddHeadersPolicy(
        new HttpHeaders().set(HttpHeaderName.fromString("x-ms-authorization-auxiliary"), "Bearer other"))),
        ArmClients.profile(arm));
    var vnets = network.serviceClient().getVirtualNetworks();
    String a = vnets.beginCreateOrUpdate(GROUP, "vnet-a", vnet("10.1.0.0/16")).getFinalResult().id();
    String b = vnets.beginCreateOrUpdate(GROUP, "vnet-b", vnet("10.2.0.0/16")).getFinalResult().id();
    var peerings = network.serviceClient().getVirtualNetworkPeerings();

    VirtualNetworkPeeringInner first = crossTenant.serviceClient().getVirtualNetworkPeerings()
        .beginCreateOrUpdate(GROUP, "vnet-a", "a-to-b", peering(b)).getFinalResult();
    boolean connectedTooSoon = arm.hasVnetPeeringTo(b) && "Connected".equals(
        peerings.get(GROUP, "vnet-a", "a-to-b").peeringState().toString());
    peerings.beginCreateOrUpdate(GROUP, "vnet-b", "b-to-a", peering(a)).getFinalResult();

    assertThat(first.peeringState()).isEqualTo(VirtualNetworkPeeringState.INITIATED);
    assertThat(connectedTooSoon).isFalse();
    assertThat(peerings.get(GROUP, "vnet-a", "a-to-b").peeringState()).isEqualTo(VirtualNetworkPeeringState.CONNECTED);
    assertThat(peerings.get(GROUP, "vnet-b", "b-to-a").peeringState()).isEqualTo(VirtualNetworkPeeringState.CONNECTED);
    assertThat(arm.hasVnetPeeringTo(b.toUpperCase())).isTrue();
    assertThat(arm.requests()).filteredOn(r -> r.method().equals("PUT") && r.path().endsWith("/a-to-b"))
        .allMatch(ArmRequest::auxiliaryTokenPresent);
    assertThat(arm.requests()).filteredOn(r -> r.method().equals("PUT") && r.path().endsWith("/b-to-a"))
        .noneMatch(ArmRequest::auxiliaryTokenPresent);
  }

  @Test
  void failNext_whenThrottledWithRetryAfter_isRetriedByThePipeline() {
    start(FakeArm.builder());
    arm.failNext("PUT", "/resourcegroups/" + GROUP + "$", 429, "TooManyRequests", "Slow down.", 2,
        Duration.ofSeconds(30));

    group();

    assertThat(arm.requests()).extracting(ArmRequest::status).containsExactly(429, 429, 201);
  }

  @Test
  void failNext_whenForbidden_surfacesAuthorizationFailed() {
    start(FakeArm.builder());
    group();
    arm.failNext("PUT", "virtualNetworkPeerings", 403, "AuthorizationFailed", "The client does not have "
        + "authorization to perform action 'Microsoft.Network/virtualNetworks/peer/action'.", 1);
    var network = NetworkManager.authenticate(ArmClients.pipeline(arm), ArmClients.profile(arm)).serviceClient();
    String a = network.getVirtualNetworks().createOrUpdate(GROUP, "vnet-a", vnet("10.1.0.0/16")).id();

    assertThatThrownBy(() -> network.getVirtualNetworkPeerings().beginCreateOrUpdate(GROUP, "vnet-a", "a-to-x",
        peering(a.replace("vnet-a", "vnet-x")))).isInstanceOfSatisfying(ManagementException.class, e -> {
          assertThat(e.getResponse().getStatusCode()).isEqualTo(403);
          assertThat(e.getValue().getCode()).isEqualTo("AuthorizationFailed");
        });
    assertThat(arm.resources("Microsoft.Network/virtualNetworks/virtualNetworkPeerings")).isEmpty();
  }

  @Test
  void requestLog_whenWritten_hasOneRedactedFilePerRequest(@TempDir Path dir) throws Exception {
    Path live = dir.resolve("live");
    start(FakeArm.builder().requestLog(live));
    group();
    aks().serviceClient().getManagedClusters().beginCreateOrUpdate(GROUP, "aks-pg", cluster()
        .withWindowsProfile(new ManagedClusterWindowsProfile()
            .withAdminUsername("azureuser").withAdminPassword("hunter2-secret")));

    arm.writeRequestLog(dir.resolve("after"));

    try (Stream<Path> files = Files.list(dir.resolve("after"))) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names).hasSize(arm.requests().size()).first().asString().startsWith("0001-PUT-");
      assertThat(names).anyMatch(n -> n.matches("\\d{4}-PUT-managedClusters-aks-pg\\.json"));
    }
    try (Stream<Path> files = Files.list(live)) {
      assertThat(files.count()).isEqualTo(arm.requests().size());
    }
    String cluster = Files.readString(live.resolve("0002-PUT-managedClusters-aks-pg.json"));
    assertThat(cluster).contains("\"apiVersion\"").contains("\"status\" : 201").doesNotContain("hunter2")
        .contains("***");
    assertThat(arm.mutatingRequests()).isEqualTo(2);
  }

  private ContainerServiceManager aks() {
    return ContainerServiceManager.authenticate(ArmClients.pipeline(arm), ArmClients.profile(arm));
  }

  private static ManagedClusterInner cluster() {
    return new ManagedClusterInner().withLocation(LOCATION).withDnsPrefix("aks-pg")
        .withOidcIssuerProfile(new ManagedClusterOidcIssuerProfile().withEnabled(true))
        .withAgentPoolProfiles(List.of(new ManagedClusterAgentPoolProfile().withName("system").withCount(1)
            .withVmSize("Standard_D2s_v5").withMode(AgentPoolMode.SYSTEM)));
  }

  private static VirtualNetworkInner vnet(String cidr) {
    VirtualNetworkInner vnet = new VirtualNetworkInner().withAddressSpace(new AddressSpace()
        .withAddressPrefixes(List.of(cidr))).withSubnets(List.of(new SubnetInner().withName("aks")
            .withAddressPrefix(cidr.replace("/16", "/20"))));
    vnet.withLocation(LOCATION);
    return vnet;
  }

  private static VirtualNetworkPeeringInner peering(String remote) {
    return new VirtualNetworkPeeringInner().withRemoteVirtualNetwork(new SubResource().withId(remote))
        .withAllowVirtualNetworkAccess(true).withAllowForwardedTraffic(true);
  }
}
