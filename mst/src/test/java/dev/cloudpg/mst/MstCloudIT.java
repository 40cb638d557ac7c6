package dev.cloudpg.mst;

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
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProvisioningEvent;
import dev.cloudpg.ProviderException;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.azure.AzureCloud;
import dev.cloudpg.mst.internal.AivenClient;
import dev.cloudpg.mst.internal.AivenPeering;
import dev.cloudpg.mst.internal.AivenService;
import dev.cloudpg.mst.internal.AzurePeer;
import dev.cloudpg.mst.internal.AzurePeeringRequest;
import dev.cloudpg.mst.internal.EntraDirectory;
import dev.cloudpg.mst.internal.EntraServicePrincipal;
import dev.cloudpg.spi.Ownership;
import dev.cloudpg.spi.TimeSource;
import dev.cloudpg.spi.VirtualClock;
import dev.cloudpg.testkit.azure.ArmRequest;
import dev.cloudpg.testkit.azure.FakeArm;
import dev.cloudpg.testkit.mst.AivenRequest;
import dev.cloudpg.testkit.mst.FakeAiven;
import dev.cloudpg.testkit.mst.FakeGraph;
import dev.cloudpg.testkit.mst.GraphRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The MST provider end to end: procedure C against FakeAiven, FakeGraph and FakeArm joined together, all on one
 * virtual clock with the engine, so that MST's realistic durations cost no real time.
 */
class MstCloudIT {
  static final String SUBSCRIPTION = "8f2b7c1e-4a5d-4e6f-9a0b-1c2d3e4f5a6b";
  static final String MST_APP = "6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b";
  static final String PEER_ACTION = "Microsoft.Network/virtualNetworks/peer/action";
  static final TokenCredential TOKEN = request -> Mono.just(new AccessToken("test-token", OffsetDateTime.MAX));
  static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
  /** The VNet as the spec names it, in mixed case; Aiven must get it lower-cased. */
  static final String GROUP = "App-RG";
  static final String VNET = "App-VNet";
  static final String VNET_ID = "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/" + GROUP
      + "/providers/Microsoft.Network/virtualNetworks/" + VNET;

  private final VirtualClock clock = TimeSource.virtual(START);
  private FakeArm arm;
  private FakeGraph graph;
  private FakeAiven aiven;
  private AzureCloud azure;
  private MstCloud cloud;
  private final List<ProvisioningEvent> events = new CopyOnWriteArrayList<>();
  private final List<String> signIns = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    arm = FakeArm.builder().realisticDurations().time(clock).build();
    graph = FakeGraph.builder().tenantId(arm.tenantId()).time(clock).build();
    aiven = FakeAiven.builder().realisticDurations().time(clock).azurePeered(arm::hasVnetPeeringTo).build();
    azure = AzureCloud.builder().subscription(SUBSCRIPTION).tenant(arm.tenantId()).region("westeurope")
        .credential(TOKEN).endpointOverride(arm.endpoint()).timeSource(clock).build();
    cloud = mstCloud("proj", (tenant, appId, password) -> {
      signIns.add(tenant + " " + appId);
      return TOKEN;
    });
    arm.addVirtualNetwork(SUBSCRIPTION, GROUP, VNET, "westeurope", "10.1.0.0/16");
  }

  private MstCloud mstCloud(String project, ApplicationCredentials credentials) {
    return MstCloud.builder().project(project).cloud("azure-westeurope").token(aiven.token())
        .apiBase(aiven.apiBase()).azure(azure).graphEndpoint(graph.baseUrl()).mstApplicationId(MST_APP)
        .applicationCredentials(credentials).timeSource(clock).build();
  }

  @AfterEach
  void stop() {
    cloud.close();
    azure.close();
    aiven.close();
    graph.close();
    arm.close();
  }

  private static Stack stack(boolean deletionProtection) {
    return Stack.builder().name("shop")
        .addNetworks(Network.builder().name("db").cidr("10.20.0.0/24").build())
        .addDatabases(PostgresCluster.builder().name("tsdb").network("db").deletionProtection(deletionProtection)
            .build())
        .addPeerings(Peering.builder().name("app").network("db")
            .peer(PeerNetwork.azureVnet(SUBSCRIPTION, GROUP, VNET).withCidrs("10.1.0.0/16")).build())
        .build();
  }

  private ProvisioningListener listener() {
    return events::add;
  }

  private List<String> notes() {
    return events.stream().filter(e -> e.type() == ProvisioningEvent.Type.NOTE).map(ProvisioningEvent::message)
        .toList();
  }

  /** The requests that could change something, but the lease's own (its zone in the lease group). */
  private int mutations() {
    return (int) (aiven.requests().stream().filter(r -> !r.method().equals("GET")).count()
        + graph.requests().stream().filter(r -> !r.method().equals("GET")).count()
        + arm.requests().stream().filter(r -> r.mutating() && !r.path().contains("/rg-cloudpg-leases")).count());
  }

  private List<AivenRequest> aivenCalls(String method, String pathPart) {
    return aiven.requests().stream().filter(r -> r.method().equals(method) && r.path().contains(pathPart)
        && r.status() < 300).toList();
  }

  @Test
  void apply_whenStackIsNew_runsTheSeventeenStepsAndAnotherApplyChangesNothing() throws Exception {
    Stack stack = stack(false);

    StackOutputs out = cloud.apply(stack, listener());

    // MST's realistic durations pass on the virtual clock: the service's 8 minutes and the peering's approvals.
    assertThat(Duration.between(START, clock.now())).isBetween(Duration.ofMinutes(8), Duration.ofMinutes(15));
    assertThat(events).filteredOn(e -> e.type() == ProvisioningEvent.Type.WAITING
        && about(e, "mst:vnet-peering/app"))
        .as("the VNet peering step waits for ACTIVE itself").isNotEmpty();
    assertThat(out.peering("app").state()).isEqualTo("ACTIVE");
    String mstVnet = out.peering("app").attributes().get("toNetworkId");
    assertThat(mstVnet).isNotBlank();
    assertThat(arm.hasVnetPeeringTo(mstVnet)).isTrue();
    assertThat(out.database("tsdb").writerEndpoint()).isEqualTo("tsdb-proj.a.timescaledb.io");
    assertThat(out.database("tsdb").port()).isEqualTo(12345);
    String uri = out.database("tsdb").connectionUri().orElseThrow().reveal();
    assertThat(uri).startsWith("postgres://");
    assertThat(out.network("db").cidr()).isEqualTo("10.20.0.0/24");

    // Step 11: Aiven got every Azure value lower-cased, and a note said so.
    AivenRequest request = aivenCalls("POST", "/peering-connections").get(0);
    JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(request.body());
    assertThat(body.get("peer_resource_group").asText()).isEqualTo("app-rg");
    assertThat(body.get("peer_vpc").asText()).isEqualTo("app-vnet");
    assertThat(body.get("peer_cloud_account").asText()).isEqualTo(SUBSCRIPTION);
    assertThat(body.get("peer_azure_tenant_id").asText()).isEqualTo(arm.tenantId());
    assertThat(body.get("user_peer_network_cidrs").toString()).isEqualTo("[\"10.1.0.0/16\"]");
    String appId = body.get("peer_azure_app_id").asText();
    assertThat(appId).isEqualTo(appId.toLowerCase(Locale.ROOT));
    assertThat(notes()).anyMatch(n -> n.contains("lower-cased") && n.contains("resource group App-RG as app-rg")
        && n.contains("VNet App-VNet as app-vnet"));

    // Step 8: the custom role allows exactly the one action, in the subscription.
    List<JsonNode> roles = arm.resources("Microsoft.Authorization/roleDefinitions");
    assertThat(roles).hasSize(1);
    JsonNode role = roles.get(0).get("properties");
    assertThat(role.get("roleName").asText()).isEqualTo("cloudpg-proj-shop-app-vnet-peer");
    assertThat(role.at("/permissions").size()).isEqualTo(1);
    assertThat(role.at("/permissions/0/actions").toString()).isEqualTo("[\"" + PEER_ACTION + "\"]");
    assertThat(role.at("/assignableScopes").toString()).isEqualTo("[\"/subscriptions/" + SUBSCRIPTION + "\"]");

    // Steps 6 and 9: both role assignments are on the VNet, one for each principal.
    List<JsonNode> assignments = arm.resources("Microsoft.Authorization/roleAssignments");
    assertThat(assignments).hasSize(2).allSatisfy(a ->
        assertThat(a.at("/properties/scope").asText()).isEqualToIgnoringCase(VNET_ID));
    assertThat(assignments).extracting(a -> a.at("/properties/roleDefinitionId").asText())
        .anyMatch(id -> id.endsWith("4d97b98b-1d4f-4787-a291-c67834d212e7"))
        .anyMatch(id -> id.startsWith("/subscriptions/" + SUBSCRIPTION + "/providers/Microsoft.Authorization/"
            + "roleDefinitions/"));
    EntraServicePrincipal mstSp = EntraDirectory.create(TOKEN, graph.baseUrl()).findServicePrincipal(MST_APP)
        .orElseThrow();
    assertThat(mstSp.hasTag(Ownership.STACK + "=proj/shop")).isTrue();
    assertThat(assignments).extracting(a -> a.at("/properties/principalId").asText()).contains(mstSp.objectId());

    // Steps 13-16: the VNet peering was made as the application in both tenants, with the auxiliary token.
    List<ArmRequest> peeringPuts = arm.requests().stream().filter(r -> r.method().equals("PUT")
        && r.path().contains("/virtualNetworkPeerings/")).toList();
    assertThat(peeringPuts).isNotEmpty().allMatch(ArmRequest::auxiliaryTokenPresent);
    assertThat(signIns).containsExactlyInAnyOrder(arm.tenantId() + " " + appId, aiven.mstTenantId() + " " + appId);
    String appObjectId = graph.applicationIds().get(0);
    assertThat(graph.passwordKeyIds(appObjectId)).as("the short-lived password is removed").isEmpty();

    // Every step says which steps of the procedure it performed.
    String all = String.join("\n", notes());
    for (String step : List.of("step 1:", "step 2:", "step 3:", "step 4:", "steps 5-6:", "step 7:", "step 8:",
        "step 9:", "steps 10-11:", "step 12:", "steps 13-15:", "step 16:", "step 17:")) {
      assertThat(all).contains(step);
    }
    // No secret in events.
    String password = uri.substring(uri.indexOf(':', 11) + 1, uri.indexOf('@'));
    assertThat(events.toString()).doesNotContain(password).doesNotContain(aiven.token().reveal());

    int before = mutations();
    assertThat(cloud.plan(stack).changes()).allMatch(c -> c.action() == ChangeAction.NOOP);
    StackOutputs again = cloud.apply(stack, ProvisioningListener.none());
    assertThat(mutations()).as("a second apply changes nothing on any fake").isEqualTo(before);
    assertThat(again.peering("app").id()).isEqualTo(out.peering("app").id());

    cloud.destroy(stack, ProvisioningListener.none(), DestroyOptions.defaults());
    assertThat(graph.servicePrincipalIds()).as("the MST principal this stack made goes with it").isEmpty();
  }

  @Test
  void apply_whenMstRefusesThePeering_failsWithTheReasonAndTheNextApplyConverges() {
    Stack stack = stack(false);
    aiven.failPeeringWith("INVALID_SPECIFICATION", "Virtual network app-vnet not found in app-rg");

    assertThatThrownBy(() -> cloud.apply(stack, listener()))
        .isInstanceOfSatisfying(ApplyFailedException.class, e -> {
          Throwable failure = e.failures().get(ResourceKey.parse("mst:peering-connection/app"));
          assertThat(failure).isNotNull();
          assertThat(failure.getMessage()).contains("INVALID_SPECIFICATION",
              "Virtual network app-vnet not found in app-rg", "Apply again once fixed");
          assertThat(e.result().skipped()).contains(ResourceKey.parse("mst:vnet-peering/app"));
        });
    assertThat(cloud.plan(stack).changes()).anyMatch(c -> c.resource().equals(
        ResourceKey.parse("mst:peering-connection/app")) && c.action() == ChangeAction.UPDATE);

    StackOutputs out = cloud.apply(stack, listener());

    assertThat(out.peering("app").state()).isEqualTo("ACTIVE");
    assertThat(aivenCalls("DELETE", "/peer-vpcs/app-vnet")).hasSize(1);
    assertThat(aivenCalls("POST", "/peering-connections")).hasSize(2);
    assertThat(notes()).anyMatch(n -> n.contains("refused the earlier peering connection"));
  }

  @Test
  void destroy_whenAnotherProjectStillUsesTheMstPrincipalTheStackMade_leavesIt() {
    cloud.apply(stack(false), ProvisioningListener.none());
    String principal = graph.servicePrincipalIds().stream().filter(id -> EntraDirectory.create(TOKEN,
        graph.baseUrl()).findServicePrincipal(MST_APP).map(sp -> sp.objectId().equals(id)).orElse(false))
        .findFirst().orElseThrow();
    try (MstCloud other = mstCloud("other", (tenant, appId, password) -> TOKEN)) {
      other.apply(stack(false), ProvisioningListener.none());
      assertThat(arm.resources("Microsoft.Network/virtualNetworks/virtualNetworkPeerings"))
          .extracting(p -> p.at("/properties/remoteVirtualNetwork/id").asText()).doesNotHaveDuplicates().hasSize(2);

      cloud.destroy(stack(false), listener(), DestroyOptions.defaults());

      assertThat(graph.servicePrincipalIds()).contains(principal);
      assertThat(notes()).anyMatch(n -> n.contains("left the service principal " + principal)
          && n.contains("other role assignments"));
    }
  }

  /**
   * The creates that are not idempotent by name or that POST (Graph's application and service principals, Aiven's
   * VPC, service and peering connection), and the ARM role and peering PUTs, each lose their answer once in turn.
   */
  @Test
  void apply_whenAMutatingCallLosesItsAnswerOnce_adoptsWhatItMadeAndConvergesToOneOfEach() {
    record Fault(Runnable arm, java.util.function.LongSupplier matching) {}
    java.util.function.BiFunction<String, String, Fault> onGraph = (method, path) -> new Fault(
        () -> graph.loseAnswerOnce(method, path), () -> graph.requests().stream().filter(r -> r.method().equals(method)
            && r.path().split("\\?")[0].matches(path)).count());
    java.util.function.BiFunction<String, String, Fault> onAiven = (method, path) -> new Fault(
        () -> aiven.loseAnswerOnce(method, ".*" + path), () -> aiven.requests().stream()
            .filter(r -> r.method().equals(method) && r.path().matches(".*" + path)).count());
    java.util.function.BiFunction<String, String, Fault> onArm = (method, path) -> new Fault(
        () -> arm.loseAnswerOnce(method, path), () -> arm.requests().stream()
            .filter(r -> r.method().equals(method) && r.path().contains(path)).count());
    List<Fault> faults = List.of(
        onGraph.apply("POST", "^/v1.0/applications$"),
        onGraph.apply("POST", "^/v1.0/servicePrincipals$"),
        onAiven.apply("POST", "/vpcs$"),
        onAiven.apply("POST", "/service$"),
        onAiven.apply("POST", "/peering-connections$"),
        onArm.apply("PUT", "/roleAssignments/"),
        onArm.apply("PUT", "/roleDefinitions/"),
        onArm.apply("PUT", "/virtualNetworkPeerings/"));
    AivenClient client = AivenClient.create(aiven.apiBase(), aiven.token());
    for (int i = 0; i < faults.size(); i++) {
      long before = faults.get(i).matching().getAsLong();
      faults.get(i).arm().run();
      Stack stack = stack(false);

      StackOutputs out = cloud.apply(stack, ProvisioningListener.none());

      assertThat(faults.get(i).matching().getAsLong()).as("fault " + i + " fired").isGreaterThan(before);
      assertThat(graph.applicationIds()).as("fault " + i).hasSize(1);
      assertThat(client.listServices("proj")).as("fault " + i).hasSize(1);
      assertThat(client.listVpcs("proj")).as("fault " + i).hasSize(1);
      assertThat(client.getVpc("proj", out.network("db").id()).orElseThrow().peeringConnections())
          .as("fault " + i).hasSize(1);
      assertThat(arm.resources("Microsoft.Network/virtualNetworks/virtualNetworkPeerings")).as("fault " + i)
          .hasSize(1);
      cloud.destroy(stack, ProvisioningListener.none(), DestroyOptions.defaults());
      assertThat(graph.applicationIds()).as("fault " + i).isEmpty();
      assertThat(client.listServices("proj")).as("fault " + i).isEmpty();
      assertThat(arm.resources("Microsoft.Network/virtualNetworks/virtualNetworkPeerings")).as("fault " + i)
          .isEmpty();
      assertThat(arm.resources("Microsoft.Network/privateDnsZones")).as("fault " + i).isEmpty();
    }
  }

  @Test
  void destroy_whenAnotherStacksServiceIsInTheVpc_keepsTheVpcWithANote() {
    Stack stack = stack(false);
    StackOutputs out = cloud.apply(stack, ProvisioningListener.none());
    String vpcId = out.network("db").id();
    AivenClient client = AivenClient.create(aiven.apiBase(), aiven.token());
    client.createService("proj", new dev.cloudpg.mst.internal.AivenServiceRequest("reports", "startup-4",
        "azure-westeurope", vpcId, "16", false, java.util.Map.of()));

    cloud.destroy(stack, listener(), DestroyOptions.defaults());

    assertThat(client.getVpc("proj", vpcId)).isPresent();
    assertThat(client.getService("proj", "reports")).isPresent();
    assertThat(client.getService("proj", "tsdb")).as("the stack's own service").isEmpty();
    assertThat(notes()).anyMatch(n -> n.contains("kept the project VPC " + vpcId) && n.contains("reports"));
  }

  @Test
  void apply_whenTwoMstCloudsApplyOneStackAtOnce_oneHoldsTheLeaseAndTheOtherIsLocked() {
    Stack stack = stack(false);
    MstCloud other = mstCloud("proj", (tenant, appId, password) -> TOKEN);
    ApplyOptions now = ApplyOptions.builder().leaseWait(Duration.ZERO).build();
    java.util.concurrent.CompletableFuture<StackOutputs> first = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> cloud.apply(stack, ProvisioningListener.none()));
    while (arm.resources("Microsoft.Network/privateDnsZones").isEmpty() && !first.isDone()) {
      Thread.onSpinWait();
    }

    assertThatThrownBy(() -> other.apply(stack, ProvisioningListener.none(), now))
        .isInstanceOf(dev.cloudpg.StackLockedException.class).hasMessageContaining("shop");
    first.join();
    other.close();
    assertThat(aivenCalls("POST", "/service")).hasSize(1);
    assertThat(arm.resources("Microsoft.Network/privateDnsZones")).as("released").isEmpty();
  }

  @Test
  void destroy_whenTheVpcAlsoPeersWithAnotherVnet_keepsTheVpc() {
    Stack stack = stack(false);
    StackOutputs out = cloud.apply(stack, ProvisioningListener.none());
    String vpcId = out.network("db").id();
    AivenClient client = AivenClient.create(aiven.apiBase(), aiven.token());
    client.createAzurePeering("proj", vpcId, new AzurePeeringRequest(new AzurePeer(SUBSCRIPTION, "other-rg",
        "other-vnet"), "00000000-0000-4000-8000-000000000042", arm.tenantId(), List.of("10.9.0.0/16")));

    cloud.destroy(stack, listener(), DestroyOptions.defaults());

    assertThat(client.getVpc("proj", vpcId)).isPresent();
    assertThat(notes()).anyMatch(n -> n.contains("kept the project VPC " + vpcId) && n.contains("other-vnet"));
    assertThat(client.findAzurePeering("proj", vpcId, new AzurePeer(SUBSCRIPTION, GROUP.toLowerCase(),
        VNET.toLowerCase())).filter(p -> !p.state().startsWith("DELET"))).as("the stack's own peering").isEmpty();
  }

  @Test
  void destroy_whenApplied_removesBothSidesAndWhatTheStackMadeButNotTheEarlierMstPrincipal() {
    EntraServicePrincipal earlier = EntraDirectory.create(TOKEN, graph.baseUrl()).ensureServicePrincipal(MST_APP);
    Stack stack = stack(true);
    cloud.apply(stack, ProvisioningListener.none());
    int aivenBefore = aiven.requests().size();
    int armBefore = arm.requests().size();

    cloud.destroy(stack, listener(), DestroyOptions.builder().overrideDeletionProtection(true).build());

    assertThat(arm.resources("Microsoft.Network/virtualNetworks/virtualNetworkPeerings")).isEmpty();
    assertThat(arm.resources("Microsoft.Authorization/roleAssignments")).isEmpty();
    assertThat(arm.resources("Microsoft.Authorization/roleDefinitions")).isEmpty();
    assertThat(arm.resource(VNET_ID)).as("the user's VNet stays").isPresent();
    assertThat(graph.applicationIds()).isEmpty();
    assertThat(graph.servicePrincipalIds()).containsExactly(earlier.objectId());
    assertThat(notes()).anyMatch(n -> n.contains("left the service principal " + earlier.objectId()));

    List<AivenRequest> during = aiven.requests().subList(aivenBefore, aiven.requests().size()).stream()
        .filter(r -> !r.method().equals("GET") && r.status() < 300).toList();
    assertThat(during).extracting(r -> r.method() + " " + r.path().replaceAll("/v1/project/proj/", "")
        .replaceAll("vpcs/[^/]+", "vpcs/ID").replaceAll("/peering-connections/.*", "/peering-connections"))
        .containsExactlyInAnyOrder("PUT service/tsdb", "DELETE service/tsdb", "DELETE vpcs/ID/peering-connections",
            "DELETE vpcs/ID");
    assertThat(during.get(during.size() - 1).path()).doesNotContain("service").doesNotContain("peering");
    assertThat(during.get(0).method() + during.get(0).path()).isNotEqualTo("DELETE/v1/project/proj/service/tsdb");
    assertThat(aiven.requests().subList(aivenBefore, aiven.requests().size())).extracting(AivenRequest::body)
        .filteredOn(b -> b != null && b.contains("termination_protection")).containsExactly(
            "{\"termination_protection\":false}");
    // The Azure half goes before Aiven's connection.
    int vnetPeeringDelete = indexOf(arm.requests().subList(armBefore, arm.requests().size()), "DELETE",
        "/virtualNetworkPeerings/");
    assertThat(vnetPeeringDelete).isGreaterThanOrEqualTo(0);
    assertThat(arm.resource("/subscriptions/" + SUBSCRIPTION + "/resourceGroups/" + GROUP
        + "/providers/Microsoft.Network/virtualNetworks/" + VNET + "/virtualNetworkPeerings/cloudpg-proj-shop-app"))
        .isEmpty();
    assertThat(cloud.plan(stack).changes()).filteredOn(c -> c.action() != ChangeAction.CREATE)
        .extracting(c -> c.resource().toString()).containsExactly("mst:mst-service-principal/app");
    assertThat(graph.requests()).extracting(GraphRequest::status).doesNotContain(500);
  }

  @Test
  void apply_whenSignedInIdentityMayNotAddMstPrincipal_failsNamingTheMissingRole() {
    graph.denyForeignServicePrincipals(true);

    assertThatThrownBy(() -> cloud.apply(stack(false), listener()))
        .isInstanceOfSatisfying(ApplyFailedException.class, e -> assertThat(
            e.failures().get(ResourceKey.parse("mst:mst-service-principal/app")).getMessage())
            .contains(MST_APP, "Application Administrator"));
    assertThat(aivenCalls("POST", "/peering-connections")).isEmpty();
  }

  @Test
  void plan_whenStackHasAPeering_listsItsEightStepsAndNoWaitOfItsOwn() {
    List<String> planned = cloud.plan(stack(false)).changes().stream().map(c -> c.resource().toString()).toList();

    assertThat(planned).containsExactlyInAnyOrder("mst:project-vpc/db", "mst:service/tsdb",
        "mst:entra-application/app", "mst:service-principal/app", "mst:role-assignment/app-app-network",
        "mst:mst-service-principal/app", "mst:role-definition/app", "mst:role-assignment/app-mst-peer",
        "mst:peering-connection/app", "mst:vnet-peering/app");
    assertThat(planned).noneMatch(key -> key.contains("peering-active"));
  }

  @Test
  void plan_whenAivenAnswers503Persistently_costsExactlyMaxAttemptsRequests() {
    aiven.failNext("GET", "/v1/project/proj/vpcs", 503, "Service unavailable", 100);

    assertThatThrownBy(() -> cloud.plan(stack(false), listener()))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.httpStatus()).isEqualTo(503));

    int attempts = ApplyOptions.defaults().maxAttempts();
    assertThat(aiven.requests()).filteredOn(r -> r.path().equals("/v1/project/proj/vpcs")).hasSize(attempts);
    assertThat(events).filteredOn(e -> e.type() == ProvisioningEvent.Type.RETRYING).hasSize(attempts - 1);
  }

  @Test
  void apply_whenServiceCreateAnswers503Persistently_sendsThePostMaxAttemptsTimesReadingBeforeEach() {
    aiven.failNext("POST", "/v1/project/proj/service", 503, "Service unavailable", 100);

    assertThatThrownBy(() -> cloud.apply(stack(false), listener()))
        .isInstanceOfSatisfying(ApplyFailedException.class, e -> assertThat(
            e.failures().get(ResourceKey.parse("mst:service/tsdb"))).hasMessageContaining("HTTP 503"));

    int attempts = ApplyOptions.defaults().maxAttempts();
    List<String> calls = aiven.requests().stream().filter(r -> r.path().equals("/v1/project/proj/service")
        || r.path().equals("/v1/project/proj/service/tsdb")).map(r -> r.method() + " " + r.status()).toList();
    assertThat(calls).filteredOn(c -> c.startsWith("POST")).hasSize(attempts);
    // Before each retry of the create the engine looks for what a lost answer may have made.
    assertThat(String.join(",", calls)).contains(String.join(",", java.util.Collections.nCopies(attempts - 1,
        "POST 503,GET 404")) + ",POST 503");
  }

  @Test
  void apply_whenVpcCreateIsThrottledWithRetryAfter_isRetriedByTheEngineAndMakesOneVpc() {
    aiven.failNext("POST", "/v1/project/proj/vpcs", 429, "Too many requests", 1);

    StackOutputs out = cloud.apply(stack(false), listener());

    assertThat(aiven.requests()).filteredOn(r -> r.method().equals("POST") && r.path().equals("/v1/project/proj/vpcs"))
        .extracting(AivenRequest::status).containsExactly(429, 200);
    assertThat(events).anyMatch(e -> e.type() == ProvisioningEvent.Type.RETRYING
        && about(e, "mst:project-vpc/db") && e.message().contains("HTTP 429"));
    assertThat(AivenClient.create(aiven.apiBase(), aiven.token()).listVpcs("proj")).singleElement()
        .satisfies(vpc -> assertThat(vpc.projectVpcId()).isEqualTo(out.network("db").id()));
  }

  @Test
  void apply_whenPendingPeerComesFirstWithoutStateInfo_waitsForMstsVnetAndConverges() {
    aiven.close();
    aiven = FakeAiven.builder().realisticDurations().pendingPeerInfoDelay(Duration.ofMinutes(2)).time(clock)
        .azurePeered(arm::hasVnetPeeringTo).build();
    cloud.close();
    cloud = mstCloud("proj", (tenant, appId, password) -> TOKEN);

    StackOutputs out = cloud.apply(stack(false), listener());

    assertThat(out.peering("app").state()).isEqualTo("ACTIVE");
    assertThat(events).anyMatch(e -> e.type() == ProvisioningEvent.Type.WAITING
        && about(e, "mst:peering-connection/app")
        && e.message().contains("PENDING_PEER without MST's VNet yet"));
  }

  @Test
  void apply_whenTheVnetPeeringRequestIsRefused_failsAndLeavesNoPassword() {
    arm.failNext("PUT", ".*/virtualNetworkPeerings/.*", 400, "InvalidRequestFormat", "Cannot parse the request.", 1);

    assertThatThrownBy(() -> cloud.apply(stack(false), listener()))
        .isInstanceOfSatisfying(ApplyFailedException.class, e -> assertThat(
            e.failures().get(ResourceKey.parse("mst:vnet-peering/app"))).hasMessageContaining("InvalidRequestFormat"));

    String appObjectId = graph.applicationIds().get(0);
    assertThat(graph.passwordKeyIds(appObjectId)).isEmpty();
    assertThat(notes()).anyMatch(n -> n.contains("removed the application's password again"));
  }

  @Test
  void apply_whenTheVnetPeeringRequestFailsTransiently_eachAttemptUsesAndRemovesItsOwnPassword() {
    arm.failNext("PUT", ".*/virtualNetworkPeerings/.*", 503, "ServiceUnavailable", "Try again.", 1);

    StackOutputs out = cloud.apply(stack(false), listener());

    assertThat(out.peering("app").state()).isEqualTo("ACTIVE");
    assertThat(graph.requests()).filteredOn(r -> r.path().endsWith("/addPassword")).hasSize(2);
    assertThat(graph.requests()).filteredOn(r -> r.path().endsWith("/removePassword") && r.status() == 204)
        .hasSize(2);
    assertThat(graph.passwordKeyIds(graph.applicationIds().get(0))).isEmpty();
  }

  @Test
  void apply_whenAnInterruptedAttemptLeftAPassword_theNextAttemptRemovesIt() {
    arm.failNext("PUT", ".*/virtualNetworkPeerings/.*", 400, "InvalidRequestFormat", "Cannot parse the request.", 1);
    assertThatThrownBy(() -> cloud.apply(stack(false), ProvisioningListener.none()))
        .isInstanceOf(ApplyFailedException.class);
    // What a process killed between adding the password and removing it leaves, beside a password of the user's.
    String appObjectId = graph.applicationIds().get(0);
    EntraDirectory directory = EntraDirectory.create(TOKEN, graph.baseUrl());
    directory.addPassword(appObjectId, "cloudpg vnet-peering step", clock.now(), Duration.ofHours(1));
    directory.addPassword(appObjectId, "the user's own", clock.now(), Duration.ofHours(1));

    StackOutputs out = cloud.apply(stack(false), listener());

    assertThat(out.peering("app").state()).isEqualTo("ACTIVE");
    assertThat(directory.passwordKeyIds(appObjectId, "cloudpg vnet-peering step")).isEmpty();
    assertThat(directory.passwordKeyIds(appObjectId, "the user's own")).hasSize(1);
    assertThat(notes()).anyMatch(n -> n.contains("removed a password an interrupted attempt had left"));
  }

  @Test
  void apply_whenMstHadNotSeenTheVnetPeeringBeforeTheWaitTimedOut_nextApplyOnlyWaitsForActive() {
    AtomicBoolean mstLooks = new AtomicBoolean(false);
    aiven.close();
    aiven = FakeAiven.builder().realisticDurations().time(clock)
        .azurePeered(id -> mstLooks.get() && arm.hasVnetPeeringTo(id)).build();
    cloud.close();
    cloud = mstCloud("proj", (tenant, appId, password) -> TOKEN);
    Stack stack = stack(false);
    ApplyOptions patience = ApplyOptions.builder().waitTimeout(Duration.ofMinutes(20)).build();

    assertThatThrownBy(() -> cloud.apply(cloud.plan(stack), listener(), patience))
        .isInstanceOfSatisfying(ApplyFailedException.class, e -> assertThat(
            e.failures().get(ResourceKey.parse("mst:vnet-peering/app"))).hasMessageContaining("PENDING_PEER"));
    String appObjectId = graph.applicationIds().get(0);
    assertThat(graph.passwordKeyIds(appObjectId)).as("the check never held a password").isEmpty();
    assertThat(cloud.plan(stack).changes()).filteredOn(c -> c.action() != ChangeAction.NOOP)
        .extracting(c -> c.resource() + " " + c.action()).containsExactly("mst:vnet-peering/app UPDATE");
    long passwordsBefore = graph.requests().stream().filter(r -> r.path().endsWith("/addPassword")).count();
    mstLooks.set(true);

    StackOutputs out = cloud.apply(stack, listener());

    assertThat(out.peering("app").state()).isEqualTo("ACTIVE");
    assertThat(graph.requests().stream().filter(r -> r.path().endsWith("/addPassword")).count())
        .as("no second PUT, so no second password").isEqualTo(passwordsBefore);
  }

  /** The stack with a second database and a second peering, with a VNet of its own. */
  private Stack wider(boolean secondProtected) {
    arm.addVirtualNetwork(SUBSCRIPTION, GROUP, "reports-vnet", "westeurope", "10.2.0.0/16");
    Stack base = stack(false);
    return Stack.builder().from(base)
        .addDatabases(PostgresCluster.builder().name("reports").network("db").deletionProtection(secondProtected)
            .build())
        .addPeerings(Peering.builder().name("reports").network("db")
            .peer(PeerNetwork.azureVnet(SUBSCRIPTION, GROUP, "reports-vnet").withCidrs("10.2.0.0/16")).build())
        .build();
  }

  private List<String> planned(dev.cloudpg.Plan plan, ChangeAction action) {
    return plan.changes().stream().filter(c -> c.action() == action).map(c -> c.resource().toString()).sorted()
        .toList();
  }

  @Test
  void apply_whenAPeeringAndADatabaseLeaveTheSpec_prunesTheirPiecesAndLeavesTheRest() {
    Stack wide = wider(false);
    StackOutputs before = cloud.apply(wide, ProvisioningListener.none());
    AivenClient client = AivenClient.create(aiven.apiBase(), aiven.token());
    String vpcId = before.network("db").id();
    assertThat(client.getVpc("proj", vpcId).orElseThrow().peeringConnections()).hasSize(2);

    dev.cloudpg.Plan plan = cloud.plan(stack(false));

    assertThat(planned(plan, ChangeAction.DELETE)).containsExactly("mst:entra-application/reports",
        "mst:peering-connection/reports", "mst:role-assignment/reports-app-network",
        "mst:role-assignment/reports-mst-peer", "mst:role-definition/reports", "mst:service-principal/reports",
        "mst:service/reports", "mst:vnet-peering/reports");
    assertThat(plan.render()).contains("- mst:service/reports", "no longer in the spec");
    assertThat(planned(plan, ChangeAction.CREATE)).isEmpty();

    StackOutputs after = cloud.apply(plan, listener());

    assertThat(client.getService("proj", "reports")).isEmpty();
    assertThat(client.getService("proj", "tsdb")).isPresent();
    assertThat(client.getVpc("proj", vpcId).orElseThrow().peeringConnections())
        .filteredOn(p -> !p.state().startsWith("DELET")).extracting(AivenPeering::peerVpc).containsExactly("app-vnet");
    assertThat(arm.resources("Microsoft.Network/virtualNetworks/virtualNetworkPeerings"))
        .extracting(p -> p.path("name").asText()).containsExactly("cloudpg-proj-shop-app");
    assertThat(arm.resources("Microsoft.Authorization/roleAssignments")).hasSize(2);
    assertThat(arm.resources("Microsoft.Authorization/roleDefinitions")).hasSize(1);
    assertThat(graph.applicationIds()).hasSize(1);
    assertThat(graph.servicePrincipalIds()).as("the application's and MST's").hasSize(2);
    assertThat(after.peering("app").state()).isEqualTo("ACTIVE");
    assertThat(cloud.plan(stack(false)).changes()).allMatch(c -> c.action() == ChangeAction.NOOP);
  }

  @Test
  void apply_whenAProtectedDatabaseLeavesTheSpec_refusesSayingHowAndChangesNothing() {
    Stack wide = wider(true);
    cloud.apply(wide, ProvisioningListener.none());
    int before = mutations();

    assertThatThrownBy(() -> cloud.apply(stack(false), listener()))
        .isInstanceOfSatisfying(dev.cloudpg.DeletionProtectedException.class, e -> assertThat(e.getMessage())
            .contains("mst:service/reports", "deletionProtection(false)", "prune(false)"));

    assertThat(mutations()).isEqualTo(before);
    ApplyOptions keep = ApplyOptions.builder().prune(false).build();
    assertThat(cloud.plan(stack(false), ProvisioningListener.none(), keep).changes())
        .filteredOn(c -> c.resource().toString().equals("mst:service/reports"))
        .singleElement().satisfies(c -> assertThat(c.reason()).contains("kept"));
  }

  @Test
  void apply_whenAServiceOfTheSameNameCarriesNoTags_refusesItAsSomeoneElses() {
    Stack stack = stack(false);
    StackOutputs out = cloud.apply(stack, ProvisioningListener.none());
    AivenClient client = AivenClient.create(aiven.apiBase(), aiven.token());
    client.replaceServiceTags("proj", "tsdb", java.util.Map.of("team", "data"));

    assertThatThrownBy(() -> cloud.plan(stack)).isInstanceOf(dev.cloudpg.ConflictException.class)
        .hasMessageContaining("mst:service/tsdb").hasMessageContaining("not made by cloudpg")
        .hasMessageContaining("cloudpg:key=mst:service/tsdb");

    cloud.destroy(Stack.builder().from(stack).databases(List.of()).build(), ProvisioningListener.none(),
        DestroyOptions.defaults());
    assertThat(client.getService("proj", "tsdb")).as("a service the stack does not own by its tags").isPresent();
    assertThat(client.getVpc("proj", out.network("db").id())).as("kept: it holds that service").isPresent();
  }

  @Test
  void apply_whenAnApplicationWasMadeTwice_keepsTheOneInUseAndDeletesTheOther() {
    Stack stack = stack(false);
    cloud.apply(stack, ProvisioningListener.none());
    String kept = graph.applicationIds().get(0);
    // What a create resent blindly after a lost answer would leave: a second application of the stack's.
    graph.addApplication("cloudpg-proj-shop-app", List.of(Ownership.STACK + "=proj/shop"));

    dev.cloudpg.Plan plan = cloud.plan(stack);

    assertThat(planned(plan, ChangeAction.DELETE)).singleElement()
        .satisfies(k -> assertThat(k).startsWith("mst:entra-application/app#"));
    cloud.apply(plan, ProvisioningListener.none());
    assertThat(graph.applicationIds()).containsExactly(kept);
  }

  @Test
  void stacks_whenTheProjectHoldsTwoStacks_listsEachWithItsPeeringsAndNothingAfterDestroy() {
    cloud.apply(stack(false), ProvisioningListener.none());
    Stack other = Stack.builder().name("metrics").addNetworks(Network.builder().name("db").cidr("10.20.0.0/24")
        .build()).addDatabases(PostgresCluster.builder().name("metrics").network("db").build()).build();
    cloud.apply(other, ProvisioningListener.none());

    List<dev.cloudpg.StackSummary> stacks = cloud.stacks();

    assertThat(stacks).extracting(dev.cloudpg.StackSummary::name).containsExactly("metrics", "shop");
    dev.cloudpg.StackSummary shop = stacks.get(1);
    assertThat(shop.resourcesByType()).containsEntry("service", 1).containsEntry("project-vpc", 1)
        .containsEntry("peering-connection", 1).containsEntry("vnet-peering", 1)
        .containsEntry("role-assignment", 2).containsEntry("entra-application", 1);
    assertThat(shop.peerings()).singleElement().satisfies(p -> {
      assertThat(p.name()).isEqualTo("app");
      assertThat(p.peer()).isEqualTo("app-vnet");
    });
    assertThat(stacks.get(0).resourcesByType()).containsEntry("service", 1).containsEntry("project-vpc", 1);

    cloud.destroy(stack(false), ProvisioningListener.none(), DestroyOptions.defaults());
    cloud.destroy(other, ProvisioningListener.none(),
        DestroyOptions.builder().overrideDeletionProtection(true).build());
    assertThat(cloud.stacks()).isEmpty();
  }

  @Test
  void apply_whenTheDatabaseHasTagsOfItsOwn_putsThemOnItsServiceBesideTheStacks() {
    Stack base = stack(false);
    Stack tagged = Stack.builder().from(base).putTags("owner", "data-team")
        .databases(List.of(base.databases().get(0).withTags(Map.of("cost-center", "4711")))).build();

    cloud.apply(tagged, ProvisioningListener.none());

    assertThat(AivenClient.create(aiven.apiBase(), aiven.token()).getService("proj", "tsdb")).get()
        .satisfies(s -> assertThat(s.tags()).containsEntry("cost-center", "4711").containsEntry("owner", "data-team")
            .containsEntry(Ownership.STACK, "shop"));
    assertThat(cloud.plan(tagged).hasChanges()).isFalse();
  }

  @Test
  void stacks_whenOnlyThePeeringOfAStackIsLeft_stillListsItUntilItIsDestroyed() {
    cloud.apply(stack(false), ProvisioningListener.none());
    // What a destroy that stopped after the service leaves: the peering and its Entra ID objects, no tagged service.
    assertThat(AivenClient.create(aiven.apiBase(), aiven.token()).deleteService("proj", "tsdb")).isTrue();

    List<dev.cloudpg.StackSummary> stacks = cloud.stacks();

    assertThat(stacks).singleElement().satisfies(s -> {
      assertThat(s.name()).isEqualTo("shop");
      assertThat(s.resourcesByType()).doesNotContainKey("service").containsEntry("entra-application", 1)
          .containsEntry("peering-connection", 1).containsEntry("vnet-peering", 1);
    });
    assertThat(graph.requests()).as("the Graph request that lists the project's stacks by their applications' tags")
        .anySatisfy(r -> assertThat(r.path()).contains("startswith(t,'cloudpg:stack=proj/')"));

    cloud.destroy(stack(false), ProvisioningListener.none(), DestroyOptions.defaults());
    assertThat(cloud.stacks()).isEmpty();
  }

  @Test
  void apply_whenThePlanAndVersionChange_updatesTheServiceInPlaceWhileItKeepsServing() {
    Stack small = Stack.builder().from(stack(false)).databases(List.of(PostgresCluster.builder().name("tsdb")
        .network("db").version("16").deletionProtection(false)
        .addOptions(MstOptions.builder().plan("hobbyist").build()).build())).build();
    StackOutputs before = cloud.apply(small, ProvisioningListener.none());
    Stack bigger = Stack.builder().from(small).databases(List.of(PostgresCluster.builder().name("tsdb")
        .network("db").version("17").deletionProtection(false)
        .addOptions(MstOptions.builder().plan("business-4").build()).build())).build();

    dev.cloudpg.Plan plan = cloud.plan(bigger);

    assertThat(plan.render()).contains("~ mst:service/tsdb", "plan: hobbyist -> business-4",
        "pgVersion: 16 -> 17");
    assertThat(planned(plan, ChangeAction.UPDATE)).containsExactly("mst:service/tsdb");
    int requestsBefore = aiven.requests().size();
    StackOutputs after = cloud.apply(plan, listener());

    List<AivenRequest> during = aiven.requests().subList(requestsBefore, aiven.requests().size());
    assertThat(during).filteredOn(r -> !r.method().equals("GET")).extracting(r -> r.method() + " " + r.path())
        .containsExactly("PUT /v1/project/proj/service/tsdb");
    assertThat(events).anyMatch(e -> e.type() == ProvisioningEvent.Type.WAITING && about(e, "mst:service/tsdb")
        && e.message().contains("REBUILDING"));
    AivenClient client = AivenClient.create(aiven.apiBase(), aiven.token());
    AivenService running = client.getService("proj", "tsdb").orElseThrow();
    assertThat(running.plan()).isEqualTo("business-4");
    assertThat(running.pgVersion()).isEqualTo("17");
    assertThat(after.database("tsdb").writerEndpoint()).isEqualTo(before.database("tsdb").writerEndpoint());
    assertThat(cloud.plan(bigger).changes()).allMatch(c -> c.action() == ChangeAction.NOOP);

    int mutationsBefore = mutations();
    assertThatThrownBy(() -> cloud.apply(small, listener())).isInstanceOfSatisfying(ApplyFailedException.class,
        e -> assertThat(e.failures().get(ResourceKey.parse("mst:service/tsdb"))).hasMessageContaining(
            "cannot downgrade").hasMessageContaining("version(\"17\")"));
    assertThat(mutations()).as("the downgrade is refused before any request").isEqualTo(mutationsBefore);
  }

  @Test
  void apply_whenThePlanChangeLosesItsAnswer_readsAndWaitsForTheNewPlanWithoutResendingBlindly() {
    Stack stack = stack(false);
    cloud.apply(stack, ProvisioningListener.none());
    Stack bigger = Stack.builder().from(stack).databases(List.of(PostgresCluster.builder().name("tsdb")
        .network("db").deletionProtection(false).addOptions(MstOptions.builder().plan("business-16").build())
        .build())).build();
    aiven.loseAnswerOnce("PUT", "/v1/project/proj/service/tsdb");

    cloud.apply(bigger, ProvisioningListener.none());

    assertThat(aivenCalls("PUT", "/service/tsdb")).as("the lost one fired").isNotEmpty();
    assertThat(AivenClient.create(aiven.apiBase(), aiven.token()).getService("proj", "tsdb").orElseThrow().plan())
        .isEqualTo("business-16");
    assertThat(cloud.plan(bigger).changes()).allMatch(c -> c.action() == ChangeAction.NOOP);
  }

  private static boolean about(ProvisioningEvent e, String key) {
    return e.resource().map(ResourceKey.parse(key)::equals).orElse(false);
  }

  private static int indexOf(List<ArmRequest> requests, String method, String pathPart) {
    for (int i = 0; i < requests.size(); i++) {
      if (requests.get(i).method().equals(method) && requests.get(i).path().contains(pathPart)) {
        return i;
      }
    }
    return -1;
  }
}
