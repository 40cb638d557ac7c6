package dev.cloudpg.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudpg.ApplyOptions;
import dev.cloudpg.ChangeAction;
import dev.cloudpg.DestroyIncompleteException;
import dev.cloudpg.DestroyOptions;
import dev.cloudpg.Network;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.Plan;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.Stack;
import dev.cloudpg.StackLockedException;
import dev.cloudpg.StackSummary;
import dev.cloudpg.spi.TimeSource;
import dev.cloudpg.spi.VirtualClock;
import dev.cloudpg.testkit.azure.ArmRequest;
import dev.cloudpg.testkit.azure.FakeArm;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Discovery, pruning, stacks and leases of the Azure provider through the real Azure SDK against FakeArm, on one
 * virtual clock: a network stack of three VNets and peerings between them, as small as a stack that peers gets.
 */
class AzureDiscoveryIT {
  private static final String SUB = AzureCloudIT.SUBSCRIPTION;

  private VirtualClock clock;
  private FakeArm arm;
  private final List<AzureCloud> clouds = new ArrayList<>();

  @BeforeEach
  void start() {
    clock = TimeSource.virtual(Instant.parse("2030-01-01T00:00:00Z"));
    arm = FakeArm.builder().realisticDurations().time(clock).build();
  }

  private AzureCloud cloud() {
    AzureCloud cloud = AzureCloud.builder().subscription(SUB).tenant(arm.tenantId()).region("westus3")
        .credential(AzureCloudIT.TOKEN).endpointOverride(arm.endpoint()).timeSource(clock).build();
    clouds.add(cloud);
    return cloud;
  }

  @AfterEach
  void stop() {
    clouds.forEach(AzureCloud::close);
    arm.close();
  }

  private static Stack stack(String name, String... peerTo) {
    Stack.Builder b = Stack.builder().name(name)
        .addNetworks(Network.builder().name("aks").cidr("10.224.0.0/16").build())
        .addNetworks(Network.builder().name("app").cidr("10.225.0.0/16").build())
        .addNetworks(Network.builder().name("bi").cidr("10.226.0.0/16").build());
    for (String peer : peerTo) {
      b.addPeerings(Peering.builder().name(peer).network("aks")
          .peer(PeerNetwork.azureVnet(SUB, "rg-" + name, "vnet-" + peer)).build());
    }
    return b.build();
  }

  private List<ArmRequest> requests(String method, String pathRegex) {
    Pattern p = Pattern.compile(pathRegex, Pattern.CASE_INSENSITIVE);
    return arm.requests().stream().filter(r -> r.method().equals(method) && p.matcher(r.path()).find()).toList();
  }

  private List<String> peerings() {
    return arm.resources("Microsoft.Network/virtualNetworks/virtualNetworkPeerings").stream()
        .map(j -> j.get("name").asText()).sorted().toList();
  }

  private List<JsonNode> taggedWith(String stack) {
    List<JsonNode> out = new ArrayList<>();
    for (String type : List.of("Microsoft.Resources/resourceGroups", "Microsoft.Network/virtualNetworks",
        "Microsoft.Network/privateDnsZones")) {
      arm.resources(type).stream().filter(j -> j.has("tags") && stack.equals(j.get("tags").path("cloudpg:stack")
          .asText(null))).forEach(out::add);
    }
    return out;
  }

  @Test
  void apply_whenPeeringRemovedFromSpec_deletesBothItsDirectionsAndTouchesNothingElse() {
    AzureCloud cloud = cloud();
    cloud.apply(stack("net", "app", "bi"), ProvisioningListener.none());
    assertThat(peerings()).containsExactly("vnet-aks-to-vnet-app", "vnet-aks-to-vnet-bi", "vnet-app-to-vnet-aks",
        "vnet-bi-to-vnet-aks");
    int before = arm.requests().size();

    Plan plan = cloud.plan(stack("net", "app"));
    cloud.apply(plan, ProvisioningListener.none());

    assertThat(plan.changes()).filteredOn(c -> c.action() == ChangeAction.DELETE)
        .extracting(c -> c.resource().toString())
        .containsExactlyInAnyOrder("azure:vnet-peering/removed-vnet-aks-to-vnet-bi",
            "azure:vnet-peering/removed-vnet-bi-to-vnet-aks");
    assertThat(peerings()).containsExactly("vnet-aks-to-vnet-app", "vnet-app-to-vnet-aks");
    List<ArmRequest> after = arm.requests().subList(before, arm.requests().size());
    assertThat(after).filteredOn(r -> !r.method().equals("GET") && !r.path().contains("privateDnsZones"))
        .allSatisfy(r -> assertThat(r.method()).isEqualTo("DELETE"))
        .allSatisfy(r -> assertThat(r.path()).containsIgnoringCase("bi"));
  }

  /** Each mutating call of the network graph in turn (VNet, peering, group, lease zone) loses its answer once. */
  @Test
  void apply_whenAnyMutatingCallLosesItsAnswerOnce_convergesToOneOfEachAndDestroyLeavesNothing() {
    // The lease group first: it is made once, by the first apply.
    List<String[]> calls = List.of(new String[] {"PUT", "/resourceGroups/rg-cloudpg-leases$"},
        new String[] {"PUT", "/resourceGroups/rg-net$"},
        new String[] {"PUT", "virtualNetworks/vnet-aks$"},
        new String[] {"PUT", "virtualNetworkPeerings/vnet-aks-to-vnet-app$"},
        new String[] {"PUT", "virtualNetworkPeerings/vnet-app-to-vnet-aks$"},
        new String[] {"PUT", "privateDnsZones/"}, new String[] {"DELETE", "privateDnsZones/"},
        new String[] {"DELETE", "virtualNetworkPeerings/vnet-aks-to-vnet-bi$"},
        new String[] {"DELETE", "virtualNetworks/vnet-bi$"}, new String[] {"DELETE", "/resourceGroups/rg-net$"});
    AzureCloud cloud = cloud();
    for (String[] call : calls) {
      arm.loseAnswerOnce(call[0], call[1]);
      cloud.apply(stack("net", "app", "bi"), ProvisioningListener.none());
      cloud.apply(stack("net", "app"), ProvisioningListener.none());
      assertThat(peerings()).as(call[0] + " " + call[1])
          .containsExactly("vnet-aks-to-vnet-app", "vnet-app-to-vnet-aks");
      assertThat(arm.resources("Microsoft.Network/virtualNetworks")).hasSize(3);
      cloud.destroy(stack("net"), ProvisioningListener.none(), DestroyOptions.defaults());
      assertThat(taggedWith("net")).as(call[0] + " " + call[1]).isEmpty();
      assertThat(arm.resources("Microsoft.Network/privateDnsZones")).isEmpty();
      assertThat(arm.unusedFaults()).as("the lost answer of " + call[0] + " " + call[1] + " happened").isZero();
      arm.clearFaults();
    }
  }

  @Test
  void apply_whenPruneFalse_keepsWhatTheSpecNoLongerNames() {
    AzureCloud cloud = cloud();
    cloud.apply(stack("net", "app", "bi"), ProvisioningListener.none());

    cloud.apply(stack("net", "app"), ProvisioningListener.none(), ApplyOptions.builder().prune(false).build());

    assertThat(peerings()).hasSize(4);
    assertThat(requests("DELETE", "virtualNetworkPeerings")).isEmpty();
  }

  @Test
  void plan_whenStackWasApplied_discoversInOneListOfTheGroupAndOnePerVnet() {
    AzureCloud cloud = cloud();
    cloud.apply(stack("net", "app"), ProvisioningListener.none());
    int before = arm.requests().size();

    Plan plan = cloud.plan(stack("net", "app"));

    assertThat(plan.changes()).allSatisfy(c -> assertThat(c.action()).isEqualTo(ChangeAction.NOOP));
    List<ArmRequest> lists = arm.requests().subList(before, arm.requests().size()).stream()
        .filter(r -> r.path().endsWith("/resources")).toList();
    assertThat(lists).hasSize(1);
    assertThat(requests("GET", "/virtualNetworks/[^/]+/virtualNetworkPeerings$")).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void stacks_whenTwoStacksApplied_listsEachWithItsPeerings() {
    AzureCloud cloud = cloud();
    cloud.apply(stack("one", "app"), ProvisioningListener.none());
    cloud.apply(stack("two"), ProvisioningListener.none());

    List<StackSummary> stacks = cloud.stacks();

    assertThat(stacks).extracting(StackSummary::name).containsExactlyInAnyOrder("one", "two");
    StackSummary one = stacks.stream().filter(s -> s.name().equals("one")).findFirst().orElseThrow();
    assertThat(one.peerings()).extracting(StackSummary.PeeringSummary::name)
        .containsExactlyInAnyOrder("vnet-aks-to-vnet-app", "vnet-app-to-vnet-aks");
    assertThat(one.resourcesByType()).as("counted by key type, as on the other providers")
        .containsExactlyInAnyOrderEntriesOf(Map.of("resource-group", 1, "virtual-network", 3, "vnet-peering", 2));
  }

  @Test
  void destroy_afterApply_leavesNothingTaggedWithTheStackAndNoLease() {
    AzureCloud cloud = cloud();
    cloud.apply(stack("net", "app", "bi"), ProvisioningListener.none());

    cloud.destroy(stack("net"), ProvisioningListener.none(), DestroyOptions.defaults());

    assertThat(taggedWith("net")).isEmpty();
    assertThat(arm.resources("Microsoft.Network/privateDnsZones")).isEmpty();
    assertThat(peerings()).isEmpty();
  }

  @Test
  void destroy_whenAVnetCannotBeDeleted_listsWhatIsLeft() {
    AzureCloud cloud = cloud();
    cloud.apply(stack("net"), ProvisioningListener.none());
    arm.failNext("DELETE", "virtualNetworks/vnet-bi$", 400, "InUseSubnetCannotBeDeleted",
        "Subnet is in use by a resource of another team.", 100);

    assertThatThrownBy(() -> cloud.destroy(stack("net"), ProvisioningListener.none(), DestroyOptions.defaults()))
        .hasMessageContaining("azure:virtual-network/bi").hasMessageContaining("skipped: [azure:resource-group/rg-net]");
    assertThat(arm.resources("Microsoft.Network/virtualNetworks")).extracting(j -> j.get("name").asText())
        .containsExactly("vnet-bi");
  }

  @Test
  void apply_whenTwoCloudsApplyOneStackAtOnce_makesEachResourceOnceAndOneWaitsOrIsLocked() throws Exception {
    AzureCloud first = cloud();
    AzureCloud second = cloud();
    Stack stack = stack("net", "app");
    ApplyOptions options = ApplyOptions.builder().leaseWait(Duration.ZERO).build();

    CompletableFuture<Object> a = CompletableFuture.supplyAsync(() -> first.apply(stack, ProvisioningListener.none(),
        options));
    CompletableFuture<Object> b = CompletableFuture.supplyAsync(() -> second.apply(stack, ProvisioningListener.none(),
        options));
    List<Throwable> failures = new ArrayList<>();
    for (CompletableFuture<Object> f : List.of(a, b)) {
      try {
        f.join();
      } catch (CompletionException e) {
        failures.add(e.getCause());
      }
    }

    assertThat(failures).allSatisfy(e -> assertThat(e).isInstanceOf(StackLockedException.class)
        .satisfies(l -> assertThat(((StackLockedException) l).holder()).isNotBlank()));
    assertThat(requests("PUT", "virtualNetworks/vnet-aks$")).filteredOn(r -> r.status() == 201).hasSize(1);
    assertThat(requests("PUT", "virtualNetworkPeerings/vnet-aks-to-vnet-app$")).filteredOn(r -> r.status() < 300)
        .hasSize(1);
    assertThat(arm.resources("Microsoft.Network/virtualNetworks")).hasSize(3);
    assertThat(arm.resources("Microsoft.Network/privateDnsZones")).isEmpty();
  }

  @Test
  void apply_whenLeaseCreateIsRefusedByAnotherHolder_failsWithStackLockedNamingIt() {
    AzureCloud holder = cloud();
    Stack stack = stack("net");
    CompletableFuture<Object> slow;
    // The first run holds the lease while its VNets take their realistic time on the virtual clock.
    slow = CompletableFuture.supplyAsync(() -> holder.apply(stack, ProvisioningListener.none()));
    while (arm.resources("Microsoft.Network/privateDnsZones").isEmpty() && !slow.isDone()) {
      Thread.onSpinWait();
    }

    assertThatThrownBy(() -> cloud().apply(stack, ProvisioningListener.none(),
        ApplyOptions.builder().leaseWait(Duration.ZERO).build()))
        .isInstanceOf(StackLockedException.class).hasMessageContaining("net");
    slow.join();
  }

  @Test
  void apply_whenAnotherRunsLeaseHasExpired_takesItOverAndReleasesIt() {
    AzureCloud cloud = cloud();
    var managers = dev.cloudpg.azure.internal.AzureContexts.of(cloud).managers();
    managers.resources().serviceClient().getResourceGroups().createOrUpdate("rg-cloudpg-leases",
        new com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner().withLocation("westus3"));
    String zone = "/subscriptions/" + SUB + "/resourceGroups/rg-cloudpg-leases/providers/Microsoft.Network/"
        + "privateDnsZones/net.lease.cloudpg";
    managers.resources().serviceClient().getResources().createOrUpdateById(zone, "2020-06-01",
        new com.azure.resourcemanager.resources.fluent.models.GenericResourceInner().withLocation("global")
            .withTags(java.util.Map.of("cloudpg:lease", "net", "cloudpg:lease-holder", "crashed-host pid 1",
                "cloudpg:lease-run", "old-run", "cloudpg:lease-since", "2029-12-31T00:00:00Z",
                "cloudpg:lease-expires", "2029-12-31T01:00:00Z")));

    cloud.apply(stack("net"), ProvisioningListener.none(), ApplyOptions.builder().leaseWait(Duration.ZERO).build());

    assertThat(arm.resources("Microsoft.Network/virtualNetworks")).hasSize(3);
    assertThat(arm.resource(zone)).as("released after the takeover").isEmpty();
  }

  @Test
  void apply_whenItFails_releasesTheLease() {
    AzureCloud cloud = cloud();
    arm.failNext("PUT", "virtualNetworks/vnet-bi$", 400, "InvalidRequestFormat", "refused", 100);

    assertThatThrownBy(() -> cloud.apply(stack("net"), ProvisioningListener.none()));

    assertThat(arm.resources("Microsoft.Network/privateDnsZones")).isEmpty();
    arm.clearFaults();
    cloud().apply(stack("net"), ProvisioningListener.none(), ApplyOptions.builder().leaseWait(Duration.ZERO).build());
    assertThat(arm.resources("Microsoft.Network/virtualNetworks")).hasSize(3);
  }

  /** A PUT to FakeArm as another tool would send it, answered 2xx. */
  private void putOutOfBand(String id, String apiVersion, String body) throws Exception {
    java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(arm.endpoint() + id + "?api-version=" + apiVersion))
            .header("Authorization", "Bearer other-tool").header("Content-Type", "application/json")
            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isLessThan(300);
  }

  @Test
  void apply_whenPeeringToAForeignVnetRemoved_deletesItsWayBackInThatVnetAndKeepsTheVnet() throws Exception {
    String group = "/subscriptions/" + SUB + "/resourceGroups/rg-apps";
    String foreign = group + "/providers/Microsoft.Network/virtualNetworks/vnet-apps";
    putOutOfBand(group, "2021-04-01", "{\"location\":\"westus3\"}");
    putOutOfBand(foreign, "2023-09-01", "{\"location\":\"westus3\",\"properties\":{\"addressSpace\":"
        + "{\"addressPrefixes\":[\"10.230.0.0/16\"]}}}");
    clock.advanceTo(clock.now().plus(Duration.ofMinutes(1)));
    Stack peered = Stack.builder().name("net").addNetworks(Network.builder().name("aks").cidr("10.224.0.0/16")
        .build()).addPeerings(Peering.builder().name("apps").network("aks")
            .peer(PeerNetwork.azureVnet(SUB, "rg-apps", "vnet-apps")).build()).build();
    AzureCloud cloud = cloud();
    cloud.apply(peered, ProvisioningListener.none());
    assertThat(peerings()).containsExactly("vnet-aks-to-vnet-apps", "vnet-apps-to-vnet-aks");
    int before = arm.requests().size();

    Plan plan = cloud.plan(Stack.builder().name("net").addNetworks(peered.networks().get(0)).build());
    cloud.apply(plan, ProvisioningListener.none());

    assertThat(plan.changes()).filteredOn(c -> c.action() == ChangeAction.DELETE)
        .extracting(c -> c.resource().toString()).containsExactlyInAnyOrder(
            "azure:vnet-peering/removed-vnet-aks-to-vnet-apps", "azure:vnet-peering/removed-vnet-apps-to-vnet-aks");
    assertThat(peerings()).isEmpty();
    assertThat(arm.resource(foreign)).as("the foreign VNet stays").isPresent();
    assertThat(arm.requests().subList(before, arm.requests().size()))
        .filteredOn(r -> r.method().equals("DELETE") && !r.path().contains("privateDnsZones"))
        .extracting(ArmRequest::path).hasSize(2).allSatisfy(path -> assertThat(path).contains("/virtualNetworkPeerings/"));
  }
}
