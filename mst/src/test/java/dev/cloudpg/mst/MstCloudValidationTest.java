package dev.cloudpg.mst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.http.HttpClient;
import dev.cloudpg.InstanceSize;
import dev.cloudpg.InvalidSpecException;
import dev.cloudpg.Network;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.Secret;
import dev.cloudpg.Stack;
import dev.cloudpg.Violation;
import dev.cloudpg.azure.AzureCloud;
import dev.cloudpg.testkit.mst.FakeAiven;
import dev.cloudpg.testkit.mst.FakeGraph;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class MstCloudValidationTest {
  private static final String SUBSCRIPTION = "8f2b7c1e-4a5d-4e6f-9a0b-1c2d3e4f5a6b";
  private static final String MST_APP = "6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b";

  private final AtomicInteger armRequests = new AtomicInteger();
  private FakeAiven aiven;
  private FakeGraph graph;
  private AzureCloud azure;

  @BeforeEach
  void start() {
    aiven = FakeAiven.start();
    graph = FakeGraph.start();
    HttpClient counting = request -> {
      armRequests.incrementAndGet();
      return Mono.error(new IllegalStateException("no request expected"));
    };
    azure = AzureCloud.builder().subscription(SUBSCRIPTION).tenant(graph.tenantId()).region("westeurope")
        .credential(request -> Mono.just(new AccessToken("t", OffsetDateTime.now().plusHours(1))))
        .httpClient(counting).build();
  }

  @AfterEach
  void stop() {
    aiven.close();
    graph.close();
  }

  private MstCloud.Builder cloud() {
    return MstCloud.builder().project("proj").cloud("azure-westeurope").token(aiven.token())
        .apiBase(aiven.apiBase()).graphEndpoint(graph.baseUrl()).azure(azure).mstApplicationId(MST_APP);
  }

  private static Stack.Builder stack(String cidr) {
    Network.Builder net = Network.builder().name("db");
    if (cidr != null) {
      net.cidr(cidr);
    }
    return Stack.builder().name("shop").addNetworks(net.build())
        .addDatabases(PostgresCluster.builder().name("tsdb").network("db").build());
  }

  private static Peering azurePeering(PeerNetwork peer) {
    return Peering.builder().name("app").network("db").peer(peer).build();
  }

  private void assertNoRequests() {
    assertThat(aiven.requests()).isEmpty();
    assertThat(graph.requests()).isEmpty();
    assertThat(armRequests).hasValue(0);
  }

  private static List<String> paths(InvalidSpecException e) {
    return e.violations().stream().map(Violation::path).toList();
  }

  @Test
  void plan_whenNetworkHasNoCidr_refusesNamingTheCidrBeforeAnyRequest() {
    MstCloud cloud = cloud().build();

    assertThatThrownBy(() -> cloud.plan(stack(null).build()))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(paths(e))
            .containsExactly("networks[db].cidr"))
        .hasMessageContaining("must not overlap").hasMessageContaining("required on MST");
    assertNoRequests();
  }

  @Test
  void stack_whenCidrIsMalformedOrOverlapsThePeer_isRefusedBeforeAnyCloudExists() {
    assertThatThrownBy(() -> stack("10.0.0.0/33").build()).isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("networks[db].cidr");
    assertThatThrownBy(() -> stack("10.1.0.0/24").addPeerings(azurePeering(
        PeerNetwork.azureVnet(SUBSCRIPTION, "app-rg", "app-vnet").withCidrs("10.1.0.0/16"))).build())
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("peerings[app].peer.cidrs[0]");
  }

  @Test
  void plan_whenATagBreaksAivensTagRules_refusesNamingItBeforeAnyRequest() {
    MstCloud cloud = cloud().build();
    Stack stack = stack("10.20.0.0/24").putTags("team name", "data").putTags("owner", "x".repeat(65)).build();

    assertThatThrownBy(() -> cloud.plan(stack))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(paths(e))
            .containsExactlyInAnyOrder("tags", "tags[owner]"))
        .hasMessageContaining("team name").hasMessageContaining("Aiven tag key");
    Stack badDatabase = stack("10.20.0.0/24").databases(List.of(PostgresCluster.builder().name("tsdb").network("db")
        .putTags("cost center", "x").build())).build();
    assertThatThrownBy(() -> cloud.plan(badDatabase))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(paths(e))
            .containsExactly("databases[tsdb].tags"))
        .hasMessageContaining("cost center");
    assertNoRequests();
  }

  @Test
  void build_whenMstApplicationIdIsNoGuid_refusesNamingTheSetting() {
    assertThatThrownBy(() -> cloud().mstApplicationId("aiven-app").build())
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(paths(e))
            .containsExactly("mstApplicationId"));
    assertNoRequests();
  }

  @Test
  void build_whenProjectCloudAndUrisAreMissingOrMalformed_namesEachSetting() {
    assertThatThrownBy(() -> MstCloud.builder().token(Secret.of("t")).graphEndpoint(URI.create("relative"))
        .apiBase(URI.create("ftp://x/v1")).build())
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(paths(e))
            .containsExactlyInAnyOrder("project", "cloud", "apiBase", "graphEndpoint"));
    assertThatThrownBy(() -> cloud().project("Proj").cloud("westeurope").build())
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(paths(e))
            .containsExactlyInAnyOrder("project", "cloud"));
  }

  @Test
  void plan_whenPeerIsNoAzureVnet_refusesNamingTheKind() {
    MstCloud cloud = cloud().build();
    Stack stack = stack("10.20.0.0/24").addPeerings(azurePeering(PeerNetwork.awsVpc("vpc-0b72"))).build();

    assertThatThrownBy(() -> cloud.plan(stack))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(paths(e))
            .containsExactly("peerings[app].peer.kind"));
    assertNoRequests();
  }

  @Test
  void plan_whenAzurePeerHasNoCidrs_refusesNamingPeerCidrs() {
    MstCloud cloud = cloud().build();
    Stack stack = stack("10.20.0.0/24")
        .addPeerings(azurePeering(PeerNetwork.azureVnet(SUBSCRIPTION, "app-rg", "app-vnet"))).build();

    assertThatThrownBy(() -> cloud.plan(stack))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(paths(e))
            .containsExactly("peerings[app].peer.cidrs"));
    assertNoRequests();
  }

  @Test
  void plan_whenPeeringButNoAzureNorMstApplicationId_namesBothSettings() {
    MstCloud cloud = MstCloud.builder().project("proj").cloud("azure-westeurope").token(aiven.token())
        .apiBase(aiven.apiBase()).build();
    Stack stack = stack("10.20.0.0/24").addPeerings(azurePeering(
        PeerNetwork.azureVnet("not-a-guid", "app-rg", "app-vnet").withCidrs("10.1.0.0/16"))).build();

    assertThatThrownBy(() -> cloud.plan(stack))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(paths(e))
            .containsExactlyInAnyOrder("azure", "mstApplicationId", "peerings[app].peer.subscription"));
    assertNoRequests();
  }

  @Test
  void plan_whenServiceSettingsAreInvalid_namesEachBeforeAnyRequest() {
    MstCloud cloud = cloud().build();
    Stack stack = Stack.builder().name("shop")
        .addNetworks(Network.builder().name("db").cidr("10.20.0.0/24").build(),
            Network.builder().name("other").cidr("10.30.0.0/24").build())
        .addDatabases(PostgresCluster.builder().name("tsdb").network("db").masterPassword(Secret.of("s3cret-pw"))
            .addOptions(MstOptions.builder().plan("Business 8").serviceName("9lives").build()).build())
        .build();

    assertThatThrownBy(() -> cloud.plan(stack))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(paths(e)).containsExactlyInAnyOrder(
            "networks", "databases[tsdb].options.serviceName", "databases[tsdb].options.plan",
            "databases[tsdb].masterPassword"))
        .hasMessageNotContaining("s3cret-pw");
    assertNoRequests();
  }

  @Test
  void plan_whenMoreInstancesThanAPlanHasOrAnotherTenant_namesBothBeforeAnyRequest() {
    MstCloud cloud = cloud().build();
    Stack stack = Stack.builder().name("shop")
        .addNetworks(Network.builder().name("db").cidr("10.20.0.0/24").build())
        .addDatabases(PostgresCluster.builder().name("tsdb").network("db").instances(5).build())
        .addPeerings(azurePeering(PeerNetwork.azureVnet(SUBSCRIPTION, "app-rg", "app-vnet").withCidrs("10.1.0.0/16")
            .withTenant("11111111-2222-3333-4444-555555555555")))
        .build();

    assertThatThrownBy(() -> cloud.plan(stack))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(paths(e)).containsExactlyInAnyOrder(
            "databases[tsdb].instances", "peerings[app].peer.tenant"));
    assertNoRequests();
  }

  @Test
  void planFor_always_followsInstancesForTierAndSizeForNumber() {
    assertThat(MstOptions.planFor(1, InstanceSize.SMALL)).isEqualTo("startup-4");
    assertThat(MstOptions.planFor(2, InstanceSize.MEDIUM)).isEqualTo("business-8");
    assertThat(MstOptions.planFor(3, InstanceSize.LARGE)).isEqualTo("premium-16");
    assertThat(MstOptions.planFor(5, InstanceSize.XLARGE)).isEqualTo("premium-32");
  }
}
