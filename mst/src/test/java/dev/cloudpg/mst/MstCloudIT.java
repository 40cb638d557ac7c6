package dev.cloudpg.mst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkInner;
import com.azure.resourcemanager.network.models.AddressSpace;
import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudpg.ApplyFailedException;
import dev.cloudpg.ChangeAction;
import dev.cloudpg.DestroyOptions;
import dev.cloudpg.Network;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProvisioningEvent;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.azure.AzureCloud;
import dev.cloudpg.mst.internal.AivenClient;
import dev.cloudpg.mst.internal.AzurePeer;
import dev.cloudpg.mst.internal.AzurePeeringRequest;
import dev.cloudpg.mst.internal.EntraDirectory;
import dev.cloudpg.mst.internal.EntraServicePrincipal;
import dev.cloudpg.spi.WaitPolicy;
import dev.cloudpg.testkit.azure.ArmRequest;
import dev.cloudpg.testkit.azure.FakeArm;
import dev.cloudpg.testkit.mst.AivenRequest;
import dev.cloudpg.testkit.mst.FakeAiven;
import dev.cloudpg.testkit.mst.FakeGraph;
import dev.cloudpg.testkit.mst.GraphRequest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The MST provider end to end: procedure C against FakeAiven, FakeGraph and FakeArm joined together. */
class MstCloudIT {
  static final String SUBSCRIPTION = "8f2b7c1e-4a5d-4e6f-9a0b-1c2d3e4f5a6b";
  static final String MST_APP = "6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b";
  static final String PEER_ACTION = "Microsoft.Network/virtualNetworks/peer/action";
  static final TokenCredential TOKEN = request -> Mono.just(new AccessToken("test-token", OffsetDateTime.MAX));
  static final WaitPolicy FAST = WaitPolicy.of(Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofSeconds(30));
  /** The VNet as the spec names it, in mixed case; Aiven must get it lower-cased. */
  static final String GROUP = "App-RG";
  static final String VNET = "App-VNet";
  static final String VNET_ID = "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/" + GROUP
      + "/providers/Microsoft.Network/virtualNetworks/" + VNET;

  private FakeArm arm;
  private FakeGraph graph;
  private FakeAiven aiven;
  private AzureCloud azure;
  private MstCloud cloud;
  private final List<ProvisioningEvent> events = new CopyOnWriteArrayList<>();
  private final List<String> signIns = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    arm = FakeArm.builder().build();
    graph = FakeGraph.start(arm.tenantId());
    aiven = FakeAiven.builder().azurePeered(arm::hasVnetPeeringTo).build();
    azure = AzureCloud.builder().subscription(SUBSCRIPTION).tenant(arm.tenantId()).region("westeurope")
        .credential(TOKEN).endpointOverride(arm.endpoint()).waitPolicy(FAST).build();
    cloud = MstCloud.builder().project("proj").cloud("azure-westeurope").token(aiven.token())
        .apiBase(aiven.apiBase()).azure(azure).graphEndpoint(graph.baseUrl()).mstApplicationId(MST_APP)
        .applicationCredentials((tenant, appId, password) -> {
          signIns.add(tenant + " " + appId);
          return TOKEN;
        })
        .waitPolicy(FAST).build();
    var managers = azure.context().managers();
    managers.resources().serviceClient().getResourceGroups().createOrUpdate(GROUP,
        new ResourceGroupInner().withLocation("westeurope"));
    managers.network().serviceClient().getVirtualNetworks().beginCreateOrUpdate(GROUP, VNET, new VirtualNetworkInner()
        .withLocation("westeurope").withAddressSpace(new AddressSpace().withAddressPrefixes(List.of("10.1.0.0/16"))));
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

  private int mutations() {
    return (int) (aiven.requests().stream().filter(r -> !r.method().equals("GET")).count()
        + graph.requests().stream().filter(r -> !r.method().equals("GET")).count() + arm.mutatingRequests());
  }

  private List<AivenRequest> aivenCalls(String method, String pathPart) {
    return aiven.requests().stream().filter(r -> r.method().equals(method) && r.path().contains(pathPart)
        && r.status() < 300).toList();
  }

  @Test
  void apply_whenStackIsNew_runsTheSeventeenStepsAndAnotherApplyChangesNothing() throws Exception {
    Stack stack = stack(false);

    StackOutputs out = cloud.apply(stack, listener());

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
    assertThat(mstSp.hasTag("cloudpg:stack=proj/shop")).isTrue();
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
    try (MstCloud other = MstCloud.builder().project("other").cloud("azure-westeurope").token(aiven.token())
        .apiBase(aiven.apiBase()).azure(azure).graphEndpoint(graph.baseUrl()).mstApplicationId(MST_APP)
        .applicationCredentials((tenant, appId, password) -> TOKEN).waitPolicy(FAST).build()) {
      other.apply(stack(false), ProvisioningListener.none());
      assertThat(arm.resources("Microsoft.Network/virtualNetworks/virtualNetworkPeerings"))
          .extracting(p -> p.at("/properties/remoteVirtualNetwork/id").asText()).doesNotHaveDuplicates().hasSize(2);

      cloud.destroy(stack(false), listener(), DestroyOptions.defaults());

      assertThat(graph.servicePrincipalIds()).contains(principal);
      assertThat(notes()).anyMatch(n -> n.contains("left the service principal " + principal)
          && n.contains("other role assignments"));
    }
  }

  @Test
  void destroy_whenTheVpcAlsoPeersWithAnotherVnet_keepsTheVpc() {
    Stack stack = stack(false);
    StackOutputs out = cloud.apply(stack, ProvisioningListener.none());
    String vpcId = out.network("db").id();
    AivenClient client = AivenClient.create(aiven.apiBase(), aiven.token(), azure.time());
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
    assertThatThrownBy(() -> azure.context().managers().network().serviceClient().getVirtualNetworkPeerings()
        .get(GROUP, VNET, "cloudpg-proj-shop-app")).isInstanceOf(ManagementException.class);
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

  private static int indexOf(List<ArmRequest> requests, String method, String pathPart) {
    for (int i = 0; i < requests.size(); i++) {
      if (requests.get(i).method().equals(method) && requests.get(i).path().contains(pathPart)) {
        return i;
      }
    }
    return -1;
  }
}
