package dev.cloudpg.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cloudpg.ApplyFailedException;
import dev.cloudpg.ApplyOptions;
import dev.cloudpg.ChangeAction;
import dev.cloudpg.ConflictException;
import dev.cloudpg.DeletionProtectedException;
import dev.cloudpg.DestroyOptions;
import dev.cloudpg.InvalidSpecException;
import dev.cloudpg.Network;
import dev.cloudpg.Peering;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Plan;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProvisioningEvent;
import dev.cloudpg.ProvisioningEvent.Type;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Secret;
import dev.cloudpg.Stack;
import dev.cloudpg.StackLockedException;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.StackSummary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class FakeCloudTest {
  private static final DestroyOptions FORCE =
      DestroyOptions.builder().overrideDeletionProtection(true).skipFinalSnapshot(true).build();
  private static final ApplyOptions FAST_RETRIES =
      ApplyOptions.builder().retryDelay(Duration.ofMillis(100)).maxRetryDelay(Duration.ofSeconds(1)).build();

  private final FakeCloud cloud = FakeCloud.builder().seed(42).build();
  private final List<ProvisioningEvent> events = new CopyOnWriteArrayList<>();

  private static Stack.Builder stack() {
    return Stack.builder().name("shop")
        .addNetworks(Network.builder().name("db").cidr("192.168.0.0/16").zones(2).build())
        .addDatabases(PostgresCluster.builder().name("orders").network("db").instances(2).build())
        .addPeerings(Peering.builder().name("app").network("db").peer(PeerNetwork.awsVpc("vpc-0a11")).build());
  }

  FakeCloudTest() {
    cloud.addPeerNetwork("vpc-0a11", "10.0.0.0/16");
  }

  @Test
  void apply_whenNew_createsEverythingAndReturnsEndpoints() {
    StackOutputs out = cloud.apply(stack().build());

    assertThat(out.database("orders").writerEndpoint()).startsWith("shop-orders.cluster-");
    assertThat(out.database("orders").readerEndpoint()).hasValueSatisfying(r -> assertThat(r).contains("cluster-ro"));
    assertThat(out.database("orders").port()).isEqualTo(5432);
    assertThat(out.database("orders").secretReference()).hasValue("fake-secrets://shop/orders/master");
    assertThat(out.network("db").subnetIds()).hasSize(2);
    assertThat(out.peering("app").state()).isEqualTo("active");
    assertThat(cloud.resourcesOf("shop")).hasSize(12).allSatisfy(r -> assertThat(r.state()).isIn("available",
        "active"));
    assertThat(cloud.resources("subnet")).extracting(r -> r.attributes().get("cidr"))
        .containsExactlyInAnyOrder("192.168.0.0/17", "192.168.128.0/17");
    assertThat(cloud.resources("firewall-rule")).singleElement()
        .satisfies(r -> assertThat(r.attributes()).containsEntry("port", "5432").containsEntry("sources",
            "10.0.0.0/16"));
    assertThat(cloud.resources("route")).extracting(r -> r.attributes().get("destination"))
        .containsExactlyInAnyOrder("10.0.0.0/16", "192.168.0.0/16");
  }

  @Test
  void apply_whenRealisticLatency_takesSimulatedMinutesInRealMilliseconds() {
    long start = System.nanoTime();
    cloud.apply(stack().build());
    Duration real = Duration.ofNanos(System.nanoTime() - start);
    assertThat(cloud.elapsed()).isGreaterThan(Duration.ofMinutes(15));
    assertThat(real).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void apply_whenRunTwiceWithTheSameSeed_givesTheSameEventsTimesAndOrder() {
    assertThat(lifecycleEvents(7)).hasSizeGreaterThan(40).isEqualTo(lifecycleEvents(7));
  }

  private static List<String> lifecycleEvents(long seed) {
    FakeCloud fake = FakeCloud.builder().seed(seed).build();
    fake.addPeerNetwork("vpc-0a11", "10.0.0.0/16");
    List<String> seen = new CopyOnWriteArrayList<>();
    ProvisioningListener record = e -> seen.add(e.at() + " " + e.elapsed() + " " + e);
    Stack s = stack().build();
    fake.apply(fake.plan(s), record);
    fake.destroy(s, record, FORCE);
    seen.add("elapsed " + fake.elapsed() + " resources " + fake.resources());
    return seen;
  }

  @Test
  void apply_whenNothingChanged_takesNoSimulatedTime() {
    Stack s = stack().build();
    cloud.apply(s);
    Duration before = cloud.elapsed();
    cloud.apply(cloud.plan(s), events::add);
    assertThat(cloud.elapsed()).isEqualTo(before);
    assertThat(events).last().satisfies(e -> assertThat(e.message()).endsWith("in 0ms"));
  }

  @Test
  void apply_whenAPeeringIsRemovedFromTheSpec_deletesItsRoutesRuleAndConnectionOnly() {
    cloud.addPeerNetwork("vpc-0b22", "10.1.0.0/16");
    Stack two = stack().addPeerings(Peering.builder().name("app2").network("db")
        .peer(PeerNetwork.awsVpc("vpc-0b22")).build()).build();
    cloud.apply(two);
    assertThat(cloud.resources("peering")).hasSize(2);
    Plan plan = cloud.plan(stack().build());
    assertThat(plan.render()).contains("0 to create, 0 to update, 4 to delete, 12 unchanged")
        .contains("- fake:peering/app2").contains("no longer in the spec");
    cloud.apply(plan);
    assertThat(cloud.resources("peering")).singleElement()
        .satisfies(p -> assertThat(p.attributes()).containsEntry("peer", "vpc-0a11"));
    assertThat(cloud.resources("route")).extracting(r -> r.attributes().get("destination"))
        .containsExactlyInAnyOrder("10.0.0.0/16", "192.168.0.0/16");
    assertThat(cloud.resources("firewall-rule")).singleElement()
        .satisfies(r -> assertThat(r.attributes()).containsEntry("sources", "10.0.0.0/16"));
    assertThat(cloud.plan(stack().build()).hasChanges()).isFalse();
  }

  private static Stack peeredWith(String peer) {
    return stack().peerings(List.of(Peering.builder().name("app").network("db").peer(PeerNetwork.awsVpc(peer))
        .build())).build();
  }

  @Test
  void apply_whenThePeerChanges_replacesThePeeringNewBeforeOldAndMovesItsRoutesAndRule() {
    String other = cloud.addPeerNetwork("vpc-0b22", "10.1.0.0/16").id();
    cloud.apply(stack().build());
    String old = cloud.resources("peering").get(0).id();

    Plan plan = cloud.plan(peeredWith("vpc-0b22"));
    assertThat(plan.render()).contains("1 to replace").contains("± fake:peering/app")
        .contains("peer: vpc-0a11 -> vpc-0b22").contains("follows the replacement of fake:peering/app");
    cloud.apply(plan, events::add, ApplyOptions.defaults());

    FakeResource peering = cloud.resources("peering").get(0);
    assertThat(cloud.resources("peering")).hasSize(1);
    assertThat(peering.id()).isNotEqualTo(old);
    assertThat(peering.attributes()).containsEntry("peer", "vpc-0b22").containsEntry("peerNetworkId", other);
    assertThat(peering.state()).isEqualTo("active");
    assertThat(cloud.resources("route")).allSatisfy(r -> assertThat(r.attributes()).containsEntry("via",
        peering.id())).extracting(r -> r.attributes().get("destination"))
        .containsExactlyInAnyOrder("10.1.0.0/16", "192.168.0.0/16");
    assertThat(cloud.resources("route")).filteredOn(r -> r.attributes().get("destination").equals("192.168.0.0/16"))
        .singleElement().satisfies(r -> assertThat(r.attributes()).containsEntry("parent", other));
    assertThat(cloud.resources("firewall-rule")).singleElement()
        .satisfies(r -> assertThat(r.attributes()).containsEntry("sources", "10.1.0.0/16"));
    assertThat(cloud.plan(peeredWith("vpc-0b22")).hasChanges()).isFalse();
    cloud.destroy(peeredWith("vpc-0b22"), ProvisioningListener.none(), FORCE);
    assertThat(cloud.resourcesOf("shop")).isEmpty();
  }

  @Test
  void apply_whenTheNewPeeringAndTheMovedRouteOfAReplacementLoseTheirAnswers_useWhatTheyMade() {
    cloud.addPeerNetwork("vpc-0b22", "10.1.0.0/16");
    cloud.apply(stack().build());
    cloud.clearCalls();
    cloud.loseResponseOnce("fake:peering/app").loseResponseOnce("fake:route/app-peer");

    cloud.apply(peeredWith("vpc-0b22"), events::add, FAST_RETRIES);

    assertThat(cloud.calls()).filteredOn(c -> c.outcome().equals("ConnectionReset")).hasSize(2);
    assertThat(cloud.calls()).filteredOn(c -> c.operation().equals("createPeering")).hasSize(1);
    assertThat(cloud.resources("peering")).singleElement()
        .satisfies(p -> assertThat(p.attributes()).containsEntry("peer", "vpc-0b22"));
    assertThat(cloud.resources("route")).hasSize(2);
    assertThat(cloud.plan(peeredWith("vpc-0b22")).hasChanges()).isFalse();
  }

  @Test
  void apply_whenTheSpecTagsANetworkADatabaseAndAPeering_putsTheirTagsOnWhatIsMadeForThem() {
    Stack tagged = Stack.builder().name("shop").putTags("owner", "data-team")
        .addNetworks(Network.builder().name("db").cidr("192.168.0.0/16").zones(2).putTags("tier", "data").build())
        .addDatabases(PostgresCluster.builder().name("orders").network("db").instances(2)
            .putTags("cost-center", "4711").build())
        .addPeerings(Peering.builder().name("app").network("db").peer(PeerNetwork.awsVpc("vpc-0a11"))
            .putTags("peer", "shop-app").build())
        .build();

    cloud.apply(tagged);

    assertThat(cloud.resourcesOf("shop")).allSatisfy(r -> assertThat(r.tags()).containsEntry("owner", "data-team"));
    assertThat(cloud.resources("database-cluster")).singleElement()
        .satisfies(r -> assertThat(r.tags()).containsEntry("cost-center", "4711").doesNotContainKey("tier"));
    assertThat(cloud.resources("database-instance")).hasSize(2)
        .allSatisfy(r -> assertThat(r.tags()).containsEntry("cost-center", "4711"));
    assertThat(cloud.resources("subnet")).hasSize(2).allSatisfy(r -> assertThat(r.tags()).containsEntry("tier", "data"));
    assertThat(cloud.resources("subnet-group")).singleElement()
        .satisfies(r -> assertThat(r.tags()).containsEntry("tier", "data").doesNotContainKey("cost-center"));
    assertThat(cloud.resources("peering")).singleElement()
        .satisfies(r -> assertThat(r.tags()).containsEntry("peer", "shop-app"));
    assertThat(cloud.plan(tagged).hasChanges()).isFalse();
  }

  @Test
  void apply_whenInstancesGoFromTwoToOne_removesTheSecond() {
    cloud.apply(stack().build());
    Stack one = stack().databases(List.of(PostgresCluster.builder().name("orders").network("db").instances(1)
        .build())).build();
    cloud.apply(one);
    assertThat(cloud.resources("database-instance")).extracting(FakeResource::name).containsExactly("shop-orders-1");
  }

  @Test
  void plan_whenARemovedDatabaseHasDeletionProtection_refusesAndChangesNothing() {
    cloud.apply(stack().build());
    cloud.clearCalls();
    Stack withoutDatabase = stack().databases(List.of()).build();
    assertThatThrownBy(() -> cloud.plan(withoutDatabase)).isInstanceOf(DeletionProtectedException.class)
        .hasMessageContaining("fake:database-cluster/orders").hasMessageContaining("prune(false)");
    assertThat(cloud.mutatingCalls()).isEmpty();
    cloud.apply(cloud.plan(withoutDatabase, events::add, ApplyOptions.builder().prune(false).build()),
        events::add, ApplyOptions.builder().prune(false).build());
    assertThat(cloud.resources("database-cluster")).hasSize(1);
  }

  @Test
  void apply_whenEachCreateLosesItsAnswerOnce_convergesToExactlyOneOfEachAndDestroyLeavesNothing() {
    Stack s = stack().build();
    List<String> keys = cloud.plan(s).changes().stream().map(c -> c.resource().toString()).toList();
    keys.forEach(cloud::loseResponseOnce);
    cloud.apply(s);
    assertThat(cloud.resourcesOf("shop")).hasSize(12);
    assertThat(cloud.resourcesOf("shop")).extracting(r -> r.tags().get("cloudpg:key")).doesNotHaveDuplicates();
    assertThat(cloud.calls()).filteredOn(c -> c.outcome().equals("ConnectionReset")).hasSize(12);
    cloud.destroy(s, ProvisioningListener.none(), FORCE);
    assertThat(cloud.resourcesOf("shop")).isEmpty();
  }

  @Test
  void apply_whenADuplicateNetworkExists_deletesTheOneNothingUses() {
    Stack s = stack().build();
    cloud.apply(s);
    FakeResource twin = cloud.duplicate("shop", "fake:network/db");
    Plan plan = cloud.plan(s);
    assertThat(plan.render()).contains("- fake:network/db#" + twin.id()).contains("nothing uses it");
    cloud.apply(plan);
    assertThat(cloud.resources("network")).extracting(FakeResource::id).doesNotContain(twin.id())
        .hasSize(2); // the stack's and the peer's
  }

  @Test
  void stacks_whenTwoStacksAreApplied_listsEachWithItsCountsAndPeerings() {
    cloud.apply(stack().build());
    cloud.apply(Stack.builder().name("other")
        .addNetworks(Network.builder().name("db").cidr("172.16.0.0/16").zones(2).build()).build());
    assertThat(cloud.stacks()).extracting(StackSummary::name).containsExactly("other", "shop");
    StackSummary shop = cloud.stacks().get(1);
    assertThat(shop.resourceCount()).isEqualTo(12);
    assertThat(shop.resourcesByType()).containsEntry("database-instance", 2);
    assertThat(shop.peerings()).singleElement().satisfies(p -> assertThat(p.peer()).isEqualTo("vpc-0a11"));
    assertThat(shop.render()).startsWith("shop  12 resources").contains("app -> vpc-0a11");
  }

  @Test
  void apply_whenAnotherRunHoldsTheLease_waitsThenFailsNamingTheHolderAndChangesNothing() {
    cloud.holdLease("shop", "ci-runner-7 pid 42", FakeCloud.EPOCH.plus(Duration.ofHours(1)));
    Stack s = stack().build();
    assertThat(cloud.plan(s).render()).contains("note: stack shop is being applied by ci-runner-7 pid 42");
    ApplyOptions wait = ApplyOptions.builder().leaseWait(Duration.ofMinutes(1)).build();
    assertThatThrownBy(() -> cloud.apply(cloud.plan(s), events::add, wait))
        .isInstanceOfSatisfying(StackLockedException.class, e -> {
          assertThat(e.holder()).isEqualTo("ci-runner-7 pid 42");
          assertThat(e.getMessage()).contains("breakLease");
        });
    assertThat(cloud.mutatingCalls()).isEmpty();
    assertThat(events).anyMatch(e -> e.type() == Type.WAITING && e.message().contains("ci-runner-7 pid 42"));
    assertThat(cloud.leaseHolder("shop")).hasValue("ci-runner-7 pid 42");
  }

  @Test
  void apply_whenTheHolderDied_takesItsExpiredLeaseOverAndReleasesItAtTheEnd() {
    cloud.holdLease("shop", "killed-runner", FakeCloud.EPOCH.minusSeconds(1));
    cloud.apply(cloud.plan(stack().build()), events::add);
    assertThat(events).anyMatch(e -> e.type() == Type.NOTE && e.message().contains("took over the expired lease")
        && e.message().contains("killed-runner"));
    assertThat(cloud.resourcesOf("shop")).hasSize(12);
    assertThat(cloud.leaseHolder("shop")).isEmpty();
  }

  @Test
  void apply_whenBreakLeaseIsAsked_takesALeaseThatIsStillHeld() {
    cloud.holdLease("shop", "stuck-runner", FakeCloud.EPOCH.plus(Duration.ofHours(1)));
    cloud.apply(cloud.plan(stack().build()), events::add, ApplyOptions.builder().breakLease(true).build());
    assertThat(events).anyMatch(e -> e.message().contains("broke the lease") && e.message().contains("stuck-runner"));
  }

  @Test
  void apply_whenAStepFails_releasesTheLease() {
    cloud.failCreate("fake:database-cluster/orders");
    assertThatThrownBy(() -> cloud.apply(stack().build())).isInstanceOf(ApplyFailedException.class);
    assertThat(cloud.leaseHolder("shop")).isEmpty();
  }

  @Test
  void apply_whenItLastsLongerThanTheLease_renewsIt() {
    cloud.apply(cloud.plan(stack().build()), events::add);
    assertThat(cloud.calls()).filteredOn(c -> c.operation().equals("putLeaseIfVersion")).hasSizeGreaterThan(10);
    assertThat(events).noneMatch(e -> e.message().contains("lease of stack shop was lost"));
  }

  @Test
  void apply_whenTwoThreadsApplyTheSameStack_runOneAfterTheOtherAndMakeOneOfEach() throws Exception {
    Stack s = stack().build();
    java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<StackOutputs>> runs = new java.util.ArrayList<>();
      for (int i = 0; i < 2; i++) {
        runs.add(two.submit(() -> {
          go.await();
          return cloud.apply(s, events::add);
        }));
      }
      go.countDown();
      for (java.util.concurrent.Future<StackOutputs> run : runs) {
        assertThat(run.get(30, java.util.concurrent.TimeUnit.SECONDS).database("orders").writerEndpoint())
            .isNotBlank();
      }
    } finally {
      two.shutdownNow();
    }
    assertThat(cloud.resourcesOf("shop")).hasSize(12);
    assertThat(cloud.resourcesOf("shop")).extracting(r -> r.tags().get("cloudpg:key")).doesNotHaveDuplicates();
    assertThat(events).filteredOn(e -> e.type() == Type.RUN_STARTED).hasSize(2);
  }

  @Test
  void plan_whenAlreadyApplied_hasNoChangesAndApplyMakesNoMutatingCall() {
    Stack s = stack().build();
    cloud.apply(s);
    cloud.clearCalls();
    Plan again = cloud.plan(s);
    assertThat(again.hasChanges()).isFalse();
    assertThat(again.changes()).allSatisfy(c -> assertThat(c.action()).isEqualTo(ChangeAction.NOOP));
    cloud.apply(again);
    assertThat(cloud.mutatingCalls()).isEmpty();
  }

  @Test
  void applyPlan_whenAnotherRunAppliedTheSameSpecMeanwhile_succeedsSayingNothingWasLeftToDo() {
    Stack s = stack().build();
    Plan mine = cloud.plan(s);
    cloud.apply(s); // another run, first to the lease
    cloud.clearCalls();

    StackOutputs out = cloud.apply(mine, events::add);

    assertThat(out.peering("app").state()).isEqualTo("active");
    assertThat(cloud.mutatingCalls()).isEmpty();
    assertThat(cloud.resourcesOf("shop")).hasSize(12);
    assertThat(events).anyMatch(e -> e.type() == Type.NOTE && e.message().contains("by another run meanwhile"));
  }

  @Test
  void applyPlan_whenAnotherRunChangedTheStackMeanwhile_refusesTheStalePlanAndChangesNothing() {
    Stack two = stack().build();
    cloud.apply(two);
    Stack three = stack().databases(List.of(PostgresCluster.builder().name("orders").network("db").instances(3)
        .build())).build();
    Plan mine = cloud.plan(three); // + a third instance
    cloud.apply(stack().databases(List.of(PostgresCluster.builder().name("orders").network("db").instances(1)
        .build())).build()); // another run scales in to one
    cloud.clearCalls();

    assertThatThrownBy(() -> cloud.apply(mine)).isInstanceOf(ConflictException.class)
        .hasMessageContaining("changed since this plan was made").hasMessageContaining("Plan again");
    assertThat(cloud.mutatingCalls()).isEmpty();
    assertThat(cloud.resourcesOf("shop")).filteredOn(r -> r.type().equals("database-instance")).hasSize(1);
  }

  private static Stack withVersion(String version) {
    return stack().databases(List.of(PostgresCluster.builder().name("orders").network("db").instances(2)
        .version(version).build())).build();
  }

  @Test
  void plan_afterAnOutOfBandMinorUpgrade_isUpToDateAndAHigherMinorUpgradesInPlace() {
    cloud.apply(withVersion("16.4"));
    cloud.changeOutOfBand("shop", "fake:database-cluster/orders", java.util.Map.of("version", "16.6"));

    assertThat(cloud.plan(withVersion("16.4")).hasChanges()).as("16.6 satisfies 16.4").isFalse();
    assertThat(cloud.plan(withVersion("16")).hasChanges()).as("16.6 satisfies 16").isFalse();

    Plan upgrade = cloud.plan(withVersion("16.8"));
    assertThat(upgrade.changes()).filteredOn(c -> c.action() == ChangeAction.UPDATE).singleElement()
        .satisfies(c -> assertThat(c.toString()).contains("version").contains("16.6").contains("16.8"));
    cloud.clearCalls();
    cloud.apply(upgrade);
    assertThat(cloud.mutatingCalls()).extracting(FakeCall::operation).containsExactly("modifyDatabaseCluster");
    assertThat(cloud.resources("database-cluster")).singleElement()
        .satisfies(r -> assertThat(r.attributes()).containsEntry("version", "16.8"));
  }

  @Test
  void plan_whenTheSpecAsksForAnotherMajor_refusesBeforeAnyChange() {
    cloud.apply(withVersion("17.2"));
    cloud.clearCalls();

    assertThatThrownBy(() -> cloud.apply(withVersion("16.4"))).isInstanceOf(ConflictException.class)
        .hasMessageContaining("never downgrades").hasMessageContaining("\"17.2\"");
    assertThatThrownBy(() -> cloud.plan(withVersion("18"))).isInstanceOf(ConflictException.class)
        .hasMessageContaining("no major version upgrade");
    assertThat(cloud.mutatingCalls()).isEmpty();
  }

  @Test
  void plan_whenSpecInvalidForTheProvider_throwsBeforeAnyCall() {
    Stack wide = Stack.builder().name("shop")
        .addNetworks(Network.builder().name("db").cidr("192.168.0.0/16").zones(4).build()).build();
    Stack single = Stack.builder().name("shop")
        .addNetworks(Network.builder().name("db").cidr("192.168.0.0/16").zones(1).build())
        .addDatabases(PostgresCluster.builder().name("orders").network("db").build()).build();
    assertThatThrownBy(() -> cloud.plan(wide)).isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("networks[db].zones: \"4\" exceeds the 3 zones");
    assertThatThrownBy(() -> cloud.apply(single)).isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("networks[db].zones: \"1\" must be at least 2");
    assertThat(cloud.calls()).isEmpty();
  }

  @Test
  void apply_whenACreateFailsMidway_reportsAndResumesToExactlyOneOfEach() {
    Stack s = stack().build();
    cloud.failCreate("fake:database-cluster/orders");
    ApplyFailedException failure = catchThrowableOfType(ApplyFailedException.class,
        () -> cloud.apply(cloud.plan(s), events::add, ApplyOptions.defaults()));
    assertThat(failure.failures()).containsOnlyKeys(ResourceKey.of("fake", "database-cluster", "orders"));
    assertThat(failure.getMessage()).contains("InjectedFailure");
    assertThat(failure.result().skipped()).contains(ResourceKey.of("fake", "database-instance", "orders-1"),
        ResourceKey.of("fake", "database-instance", "orders-2"));
    assertThat(cloud.resources("database-cluster")).isEmpty();

    cloud.clearFaults();
    Plan resume = cloud.plan(s);
    List<ResourceKey> notDone = new java.util.ArrayList<>(failure.result().skipped());
    notDone.addAll(failure.failures().keySet());
    assertThat(resume.changes()).filteredOn(c -> c.action() == ChangeAction.CREATE)
        .extracting(c -> c.resource()).containsExactlyInAnyOrderElementsOf(notDone);
    cloud.apply(resume);
    assertThat(cloud.resourcesOf("shop")).hasSize(12);
    assertThat(cloud.resources("database-instance")).hasSize(2);
    assertThat(cloud.resources("peering")).hasSize(1);
  }

  @Test
  void apply_whenThrottled_retriesUntilEverythingExists() {
    cloud.throttle(0.3);
    cloud.apply(cloud.plan(stack().build()), events::add, FAST_RETRIES.withMaxAttempts(20));
    assertThat(events).anyMatch(e -> e.type() == Type.RETRYING && e.message().contains("Throttling"));
    assertThat(cloud.calls()).anyMatch(c -> c.outcome().equals("Throttling"));
    assertThat(cloud.resourcesOf("shop")).hasSize(12);
  }

  @Test
  void apply_whenErrorIsPermanent_triesOnlyOnce() {
    cloud.failCreate("fake:network/db");
    assertThatThrownBy(() -> cloud.apply(stack().build())).isInstanceOf(ApplyFailedException.class);
    assertThat(cloud.calls()).filteredOn(c -> c.operation().equals("createNetwork")).hasSize(1);
  }

  @Test
  void apply_whenPeerRejects_failsWithWhatToCheck() {
    cloud.peerRejects(true);
    assertThatThrownBy(() -> cloud.apply(stack().build())).isInstanceOf(ApplyFailedException.class)
        .hasMessageContaining("fake:peering/app").hasMessageContaining("rejected");
  }

  @Test
  void apply_whenACreateFailsOnce_succeedsOnTheNextApply() {
    cloud.failCreateOnce("fake:peering/app");
    assertThatThrownBy(() -> cloud.apply(stack().build())).isInstanceOf(ApplyFailedException.class);
    cloud.apply(stack().build());
    assertThat(cloud.resources("peering")).hasSize(1);
  }

  @Test
  void plan_whenAResourceWithTheStacksNameIsNotOwned_refusesToTakeItOver() {
    cloud.addForeignResource("network", "shop-db");
    assertThatThrownBy(() -> cloud.plan(stack().build())).isInstanceOf(ConflictException.class)
        .hasMessageContaining("fake:network/db exists and is not owned by stack shop");
    assertThat(cloud.mutatingCalls()).isEmpty();
  }

  @Test
  void apply_whenNoCidrGiven_allocatesOneOverlappingNoNetworkOrPeer() {
    cloud.addPeerNetwork("vpc-0a12", "10.1.0.0/16");
    Stack s = Stack.builder().name("auto")
        .addNetworks(Network.builder().name("db").build())
        .addPeerings(Peering.builder().name("app").network("db")
            .peer(PeerNetwork.awsVpc("vpc-0a12").withCidrs("10.2.0.0/16")).build())
        .build();
    StackOutputs out = cloud.apply(s);
    assertThat(out.network("db").cidr()).isEqualTo("10.3.0.0/16");
    assertThat(cloud.plan(s).hasChanges()).isFalse();
  }

  @Test
  void destroy_whenDeletionProtected_refusesWithoutAnyMutatingCall() {
    Stack s = stack().build();
    cloud.apply(s);
    cloud.clearCalls();
    assertThatThrownBy(() -> cloud.destroy(s)).isInstanceOf(DeletionProtectedException.class)
        .hasMessageContaining("fake:database-cluster/orders");
    assertThat(cloud.mutatingCalls()).isEmpty();
    assertThat(cloud.resourcesOf("shop")).hasSize(12);
  }

  @Test
  void destroy_whenOverridden_deletesDependentsFirstAndKeepsAFinalSnapshot() {
    Stack s = stack().build();
    cloud.apply(s);
    cloud.addPeerNetwork("vpc-0bystander", "10.9.0.0/16");
    cloud.clearCalls();

    cloud.destroy(s, events::add, DestroyOptions.builder().overrideDeletionProtection(true).build());

    assertThat(cloud.resourcesOf("shop")).isEmpty();
    assertThat(cloud.resources("network")).extracting(FakeResource::name)
        .containsExactlyInAnyOrder("vpc-0a11", "vpc-0bystander");
    assertThat(cloud.resources("snapshot")).singleElement()
        .satisfies(r -> assertThat(r.name()).startsWith("shop-orders-final-"));
    List<String> deletes = cloud.mutatingCalls().stream().filter(c -> c.operation().startsWith("delete"))
        .map(FakeCall::operation).toList();
    assertThat(deletes.indexOf("deleteDatabaseCluster")).isGreaterThan(deletes.lastIndexOf(
        "deleteDatabaseInstance"));
    assertThat(deletes.indexOf("deleteNetwork")).isGreaterThan(deletes.lastIndexOf("deleteSubnet"))
        .isEqualTo(deletes.size() - 1);
    assertThat(cloud.calls()).anyMatch(c -> c.operation().equals("modifyDatabaseCluster"));
  }

  @Test
  void destroy_whenRunTwice_isANoOp() {
    Stack s = stack().build();
    cloud.apply(s);
    cloud.destroy(s, ProvisioningListener.none(), FORCE);
    assertThat(cloud.planDestroy(s, FORCE).hasChanges()).isFalse();
    assertThat(cloud.destroy(s, ProvisioningListener.none(), FORCE).done()).isEmpty();
  }

  @Test
  void seed_whenSame_givesTheSameIdsAndDurations() {
    FakeCloud other = FakeCloud.builder().seed(42).build();
    other.addPeerNetwork("vpc-0a11", "10.0.0.0/16");
    FakeCloud different = FakeCloud.builder().seed(43).build();
    different.addPeerNetwork("vpc-0a11", "10.0.0.0/16");
    StackOutputs a = cloud.apply(stack().build());
    StackOutputs b = other.apply(stack().build());
    StackOutputs c = different.apply(stack().build());
    assertThat(b.network("db").id()).isEqualTo(a.network("db").id()).isNotEqualTo(c.network("db").id());
    assertThat(b.database("orders").writerEndpoint()).isEqualTo(a.database("orders").writerEndpoint());
  }

  @Test
  void secrets_whenAPasswordIsGiven_neverAppearInEventsLogsOrOutputs() {
    String password = "Tr0ub4dor&3-never-print";
    Stack s = Stack.builder().from(stack().build()).databases(List.of(PostgresCluster.builder().name("orders")
        .network("db").masterPassword(Secret.of(password)).build())).build();
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    try {
      StackOutputs out = cloud.apply(cloud.plan(s), ProvisioningListener.console(new PrintStream(console, true,
          StandardCharsets.UTF_8)).andThen(ProvisioningListener.slf4j()).andThen(events::add),
          ApplyOptions.defaults());
      cloud.destroy(s, ProvisioningListener.slf4j().andThen(events::add), FORCE);
      assertThat(out.toString()).doesNotContain(password);
    } finally {
      System.setErr(originalErr);
    }
    assertThat(logs.toString(StandardCharsets.UTF_8)).contains("fake:database-cluster/orders").doesNotContain(
        password);
    assertThat(console.toString(StandardCharsets.UTF_8)).contains("created in").doesNotContain(password);
    assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e.toString()).doesNotContain(password));
    assertThat(cloud.resources().toString()).doesNotContain(password);
    assertThat(cloud.plan(s).render()).doesNotContain(password);
  }
}
