package dev.cloudpg.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudpg.ApplyFailedException;
import dev.cloudpg.ApplyOptions;
import dev.cloudpg.ApplyResult;
import dev.cloudpg.ChangeAction;
import dev.cloudpg.ConflictException;
import dev.cloudpg.DeletionProtectedException;
import dev.cloudpg.DestroyOptions;
import dev.cloudpg.InvalidSpecException;
import dev.cloudpg.Plan;
import dev.cloudpg.ProviderException;
import dev.cloudpg.ProvisioningEvent;
import dev.cloudpg.ProvisioningEvent.Type;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.WaitTimedOutException;
import dev.cloudpg.spi.AbstractCloud;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.Provider;
import dev.cloudpg.spi.Resource;
import dev.cloudpg.spi.Retry;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.TimeSource;
import dev.cloudpg.spi.VirtualClock;
import dev.cloudpg.spi.Violations;
import dev.cloudpg.spi.WaitPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The engine over a small in-memory provider defined by each test. */
class EngineTest {
  private static final Stack STACK = Stack.builder().name("t").build();
  private static final Output<String> ID = Output.string("id");
  private static final ApplyOptions FAST_RETRIES =
      ApplyOptions.builder().retryDelay(Duration.ofMillis(1)).maxRetryDelay(Duration.ofMillis(5)).build();

  private final TestProvider provider = new TestProvider();
  private final VirtualClock clock = TimeSource.virtual(java.time.Instant.parse("2030-01-01T00:00:00Z"));
  private final TestCloud cloud = new TestCloud(provider, clock);
  /** For the tests of threads and real concurrency. */
  private final TestCloud realTime = new TestCloud(provider, TimeSource.system());
  private final List<ProvisioningEvent> events = new CopyOnWriteArrayList<>();

  @Test
  void apply_whenIndependentBranches_runsAtMostParallelismStepsAtOnceAndUsesThemAll() {
    for (int i = 0; i < 8; i++) {
      provider.node("n" + i).work(Duration.ofMillis(80));
    }
    realTime.apply(realTime.plan(STACK), events::add, ApplyOptions.builder().parallelism(3).build());
    assertThat(provider.maxConcurrent.get()).isEqualTo(3);
    assertThat(provider.cloud).hasSize(8);
  }

  @Test
  void apply_whenDependencies_startsNothingBeforeItsDependenciesComplete() {
    provider.node("a").work(Duration.ofMillis(30));
    provider.node("b", "a").work(Duration.ofMillis(10));
    provider.node("c", "a").work(Duration.ofMillis(40));
    provider.node("d", "b", "c");
    cloud.apply(cloud.plan(STACK), events::add, ApplyOptions.defaults());
    for (TestNode node : provider.nodes.values()) {
      int started = index(Type.STARTED, node.key);
      for (ResourceKey dep : node.deps) {
        assertThat(started).as(node.key + " after " + dep).isGreaterThan(index(Type.COMPLETED, dep));
      }
    }
    assertThat(provider.outputsSeenBy.get("d")).containsExactlyInAnyOrder("id-b", "id-c");
  }

  @Test
  void apply_whenAStepFails_startsNothingNewLetsRunningStepsFinishAndReportsEach() {
    provider.node("bad").fail(permanent("InvalidParameter"));
    provider.node("slow").work(Duration.ofMillis(200));
    provider.node("after-bad", "bad");
    provider.node("after-slow", "slow");
    assertThatThrownBy(() -> realTime.apply(realTime.plan(STACK), events::add, ApplyOptions.builder()
        .parallelism(2).build()))
        .isInstanceOfSatisfying(ApplyFailedException.class, e -> {
          ApplyResult r = e.result();
          assertThat(r.done()).containsExactly(key("slow"));
          assertThat(r.failed()).containsOnlyKeys(key("bad"));
          assertThat(r.skipped()).containsExactlyInAnyOrder(key("after-bad"), key("after-slow"));
          assertThat(e.getMessage()).contains("InvalidParameter").contains("1 done").contains("2 skipped");
        });
    assertThat(provider.cloud).containsOnlyKeys("slow");
    assertThat(events).filteredOn(e -> e.type() == Type.SKIPPED).hasSize(2);
  }

  @Test
  void apply_whenAppliedAgainAfterAFailure_resumesWithoutDuplicates() {
    provider.node("a");
    provider.node("bad", "a").fail(permanent("Boom"));
    provider.node("c", "bad");
    assertThatThrownBy(() -> cloud.apply(STACK)).isInstanceOf(ApplyFailedException.class);
    provider.nodes.get("bad").fail(null);

    Plan resume = cloud.plan(STACK);
    assertThat(resume.changes()).extracting(c -> c.resource().name() + ":" + c.action())
        .containsExactly("a:NOOP", "bad:CREATE", "c:CREATE");
    cloud.apply(resume);
    assertThat(provider.creates).containsEntry("a", 1).containsEntry("bad", 2).containsEntry("c", 1);
    assertThat(cloud.plan(STACK).hasChanges()).isFalse();
  }

  @Test
  void apply_whenErrorIsTransient_retriesAndReportsEachRetry() {
    provider.node("flaky").failTimes(2, transientError());
    cloud.apply(cloud.plan(STACK), events::add, FAST_RETRIES);
    assertThat(provider.creates.get("flaky")).isEqualTo(3);
    assertThat(events).filteredOn(e -> e.type() == Type.RETRYING).hasSize(2)
        .allSatisfy(e -> assertThat(e.message()).contains("Throttling"));
  }

  @Test
  void apply_whenErrorIsPermanent_triesOnce() {
    provider.node("broken").failTimes(5, permanent("AccessDenied"));
    assertThatThrownBy(() -> cloud.apply(cloud.plan(STACK), events::add, FAST_RETRIES))
        .isInstanceOf(ApplyFailedException.class);
    assertThat(provider.creates.get("broken")).isEqualTo(1);
    assertThat(events).noneMatch(e -> e.type() == Type.RETRYING);
  }

  @Test
  void apply_whenTransientErrorOutlastsTheAttempts_failsAfterMaxAttempts() {
    provider.node("flaky").failTimes(100, transientError());
    assertThatThrownBy(() -> cloud.apply(cloud.plan(STACK), events::add, FAST_RETRIES.withMaxAttempts(4)))
        .isInstanceOf(ApplyFailedException.class);
    assertThat(provider.creates.get("flaky")).isEqualTo(4);
  }

  @Test
  void apply_whenResourceNeverBecomesReady_failsWithWaitTimedOut() {
    provider.node("stuck").neverReady();
    assertThatThrownBy(() -> cloud.apply(cloud.plan(STACK), events::add, ApplyOptions.defaults()))
        .isInstanceOfSatisfying(ApplyFailedException.class, e -> assertThat(e.failures().get(key("stuck")))
            .isInstanceOf(WaitTimedOutException.class).hasMessageContaining("pending"));
    assertThat(events).filteredOn(e -> e.type() == Type.WAITING).hasSize(1);
    assertThat(clock.now()).isEqualTo(java.time.Instant.parse("2030-01-01T00:00:00.060Z"));
  }

  @Test
  void apply_whenWaitTimeoutIsShorterThanTheResources_honoursIt() {
    provider.node("stuck").neverReady();
    assertThatThrownBy(() -> cloud.apply(cloud.plan(STACK), events::add, ApplyOptions.builder()
        .waitTimeout(Duration.ofMillis(15)).build()))
        .isInstanceOfSatisfying(ApplyFailedException.class, e -> assertThat(e.failures().get(key("stuck")))
            .isInstanceOfSatisfying(WaitTimedOutException.class, t -> assertThat(t.waited())
                .isEqualTo(Duration.ofMillis(15))));
  }

  @Test
  void events_whenApplying_comeInLifecycleOrder() {
    provider.node("a");
    provider.node("b", "a");
    cloud.apply(cloud.plan(STACK), events::add, ApplyOptions.defaults());
    assertThat(events).extracting(e -> e.type() + e.resource().map(r -> " " + r.name()).orElse(""))
        .containsExactly("RUN_STARTED", "STARTED a", "COMPLETED a", "STARTED b", "COMPLETED b", "RUN_FINISHED");
    assertThat(events.get(2).message()).startsWith("created in ");
  }

  @Test
  void plan_whenAResourceWithOurNameIsNotOurs_refusesAndChangesNothing() {
    provider.node("a");
    provider.node("taken");
    provider.foreign.add("taken");
    provider.cloud.put("taken", Map.of("id", "id-taken"));
    assertThatThrownBy(() -> cloud.plan(STACK)).isInstanceOf(ConflictException.class)
        .hasMessageContaining("test:node/taken").hasMessageContaining("not owned by stack t");
    assertThat(provider.creates).isEmpty();
  }

  @Test
  void plan_whenADependencyIsNotOurs_reportsItWithoutReadingWhatDependsOnIt() {
    provider.node("taken");
    provider.node("child", "taken");
    provider.foreign.add("taken");
    provider.cloud.put("taken", Map.of("id", "id-taken"));
    provider.cloud.put("child", Map.of("id", "id-child"));
    assertThatThrownBy(() -> cloud.plan(STACK)).isInstanceOf(ConflictException.class)
        .hasMessageContaining("test:node/taken").hasMessageNotContaining("test:node/child");
    assertThat(provider.calls).hasValue(1);
  }

  @Test
  void plan_whenAnUpdatablePropertyDiffers_plansAnUpdate() {
    provider.node("a");
    cloud.apply(STACK);
    provider.nodes.get("a").desired = Map.of("size", "large", "zone", "a");
    Plan plan = cloud.plan(STACK);
    assertThat(plan.changes()).singleElement().satisfies(c -> {
      assertThat(c.action()).isEqualTo(ChangeAction.UPDATE);
      assertThat(c.reason()).isEqualTo("size: small -> large");
    });
    assertThat(plan.render()).contains("~ test:node/a").contains("1 to update");
    cloud.apply(plan);
    assertThat(provider.cloud.get("a")).containsEntry("size", "large");
  }

  @Test
  void plan_whenAFixedPropertyDiffers_refusesToReplace() {
    provider.node("a");
    cloud.apply(STACK);
    provider.nodes.get("a").desired = Map.of("size", "small", "zone", "b");
    assertThatThrownBy(() -> cloud.plan(STACK)).isInstanceOf(ConflictException.class)
        .hasMessageContaining("zone: a -> b").hasMessageContaining("replaced");
  }

  @Test
  void plan_whenProviderRuleBroken_throwsBeforeAnyCall() {
    provider.node("a");
    provider.rule = v -> v.add("networks[db].zones", 1, "needs two zones");
    assertThatThrownBy(() -> cloud.plan(STACK)).isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("networks[db].zones");
    assertThat(provider.calls.get()).isZero();
  }

  @Test
  void plan_whenAReferenceFindsNothing_throwsBeforeAnyRead() {
    provider.node("a");
    provider.references = v -> v.add("peerings[app].peer", "vpc-0000dead", "is no VPC in eu-west-1");
    assertThatThrownBy(() -> cloud.plan(STACK)).isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("peerings[app].peer: \"vpc-0000dead\" is no VPC");
    assertThat(provider.calls.get()).isZero();
  }

  @Test
  void planDestroy_whenAReferenceFindsNothing_stillPlansWithoutCheckingReferences() {
    provider.node("a");
    cloud.apply(STACK);
    provider.references = v -> v.add("peerings[app].peer", "vpc-0000dead", "is no VPC in eu-west-1");
    int checks = provider.referenceChecks.get();
    assertThat(cloud.planDestroy(STACK, dev.cloudpg.DestroyOptions.defaults()).changes())
        .extracting(dev.cloudpg.Change::action).containsExactly(ChangeAction.DELETE);
    assertThat(provider.referenceChecks.get()).isEqualTo(checks);
  }

  @Test
  void plan_whenTheReferenceCheckFailsTransiently_retriesItAndReportsEachProblemOnce() {
    provider.node("a");
    AtomicInteger attempts = new AtomicInteger();
    provider.references = v -> {
      v.add("peerings[app].peer", "vpc-0000dead", "is no VPC in eu-west-1");
      if (attempts.incrementAndGet() == 1) {
        throw new ProviderException("test", "Throttling", "slow down", null, 503, true, null);
      }
    };
    assertThatThrownBy(() -> cloud.plan(STACK, events::add, FAST_RETRIES)).isInstanceOfSatisfying(
        InvalidSpecException.class, e -> assertThat(e.violations()).hasSize(1));
    assertThat(events).extracting(ProvisioningEvent::type).contains(Type.RETRYING);
  }

  @Test
  void apply_whenAReplaceablePropertyChanged_createsTheNewOneThenUpdatesDependentsThenDeletesTheOld() {
    TestNode link = provider.node("link");
    link.replaceable = Set.of("zone");
    provider.node("route", "link");
    provider.node("other");
    cloud.apply(STACK);
    provider.log.clear();
    link.desired = Map.of("size", "small", "zone", "b");

    Plan plan = cloud.plan(STACK);
    assertThat(plan.changes()).extracting(c -> c.action() + " " + c.resource().name()).containsExactly(
        "REPLACE link", "UPDATE route", "NOOP other");
    assertThat(plan.render()).contains("1 to replace").contains("± test:node/link").contains("zone: a -> b")
        .contains("follows the replacement of test:node/link");
    assertThat(plan.toMermaid()).contains(":::replace");
    cloud.apply(plan, events::add, ApplyOptions.defaults());

    assertThat(provider.log).containsExactly("create id-link-2", "update route on [id-link-2]", "delete id-link");
    assertThat(provider.cloud.get("link")).containsEntry("id", "id-link-2").containsEntry("zone", "b");
    assertThat(cloud.plan(STACK).hasChanges()).isFalse();
  }

  @Test
  void apply_whenTheReplacementsCreateLosesItsAnswer_usesTheOneItMadeRatherThanAnother() {
    TestNode link = provider.node("link");
    link.replaceable = Set.of("zone");
    link.readAnswersTheOld = true;
    cloud.apply(STACK);
    provider.log.clear();
    link.desired = Map.of("size", "small", "zone", "b");
    link.loseAnswer(transientError());

    cloud.apply(STACK, events::add, FAST_RETRIES);

    assertThat(provider.log).containsExactly("create id-link-2", "delete id-link");
    assertThat(provider.cloud.get("link")).containsEntry("id", "id-link-2").containsEntry("zone", "b");
    assertThat(events).anySatisfy(e -> assertThat(e.message()).contains("found what the failed attempt made"));
    assertThat(cloud.plan(STACK).hasChanges()).isFalse();
  }

  @Test
  void plan_whenTheProviderHasNotes_showsThemInAnApplyPlanOnly() {
    provider.node("db");
    provider.notes = List.of("a default was chosen");
    assertThat(cloud.plan(STACK).notes()).containsExactly("a default was chosen");
    assertThat(cloud.plan(STACK).render()).contains("  note: a default was chosen\n");
    assertThat(cloud.planDestroy(STACK, dev.cloudpg.DestroyOptions.defaults()).notes()).isEmpty();
  }

  @Test
  void plan_whenTheReadAddsAChangeNote_showsItAfterTheDifferencesOnlyWhenSomethingChanges() {
    TestNode node = provider.node("db");
    cloud.apply(STACK);
    node.changeNote = "reader 1 of 2, then failover";
    assertThat(cloud.plan(STACK).render()).doesNotContain("failover");
    node.desired = Map.of("size", "large", "zone", "a");
    assertThat(cloud.plan(STACK).render()).contains("size: small -> large (reader 1 of 2, then failover)");
  }

  @Test
  void plan_whenAPropertyNeitherUpdatableNorReplaceableChanged_refusesNamingIt() {
    TestNode link = provider.node("link");
    link.replaceable = Set.of("zone");
    cloud.apply(STACK);
    link.desired = Map.of("size", "small", "zone", "b", "color", "red");
    provider.cloud.get("link").put("color", "blue");
    assertThatThrownBy(() -> cloud.plan(STACK)).isInstanceOf(ConflictException.class)
        .hasMessageContaining("[color]");
  }

  @Test
  void plan_whenGraphHasACycle_saysWhere() {
    provider.node("a", "b");
    provider.node("b", "a");
    assertThatThrownBy(() -> cloud.plan(STACK)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cycle");
  }

  @Test
  void destroy_whenApplied_deletesOwnedResourcesInReverseOrderAndLeavesForeignOnes() {
    provider.node("net");
    provider.node("db", "net");
    provider.node("peer", "net");
    cloud.apply(STACK);
    provider.node("theirs", "net");
    provider.foreign.add("theirs");
    provider.cloud.put("theirs", new ConcurrentHashMap<>(Map.of("id", "id-theirs")));

    ApplyResult result = cloud.destroy(STACK, events::add, DestroyOptions.defaults());
    assertThat(result.done()).containsExactlyInAnyOrder(key("net"), key("db"), key("peer"));
    assertThat(provider.deletes.indexOf("net")).isGreaterThan(provider.deletes.indexOf("db"))
        .isGreaterThan(provider.deletes.indexOf("peer"));
    assertThat(provider.cloud).containsOnlyKeys("theirs");
  }

  @Test
  void destroy_whenDeletionProtected_refusesAndDeletesNothingUnlessOverridden() {
    provider.node("net");
    provider.node("db", "net").protect();
    cloud.apply(STACK);
    assertThatThrownBy(() -> cloud.destroy(STACK, events::add, DestroyOptions.defaults()))
        .isInstanceOfSatisfying(DeletionProtectedException.class,
            e -> assertThat(e.protectedResources()).containsExactly(key("db")));
    assertThat(provider.deletes).isEmpty();

    cloud.destroy(STACK, events::add, DestroyOptions.builder().overrideDeletionProtection(true).build());
    assertThat(provider.cloud).isEmpty();
  }

  @Test
  void toMermaid_whenPlanned_drawsEveryNodeAndEdge() {
    provider.node("a");
    provider.node("b", "a");
    String mermaid = cloud.plan(STACK).toMermaid();
    assertThat(mermaid).startsWith("flowchart LR").contains("n0[\"+ test:node/a\"]:::create")
        .contains("n0 --> n1");
  }

  @Test
  void apply_whenFiftyIndependentStepsWait_lastsAboutOneWaitAtParallelismTwo() {
    for (int i = 0; i < 50; i++) {
      provider.node("n" + i).readyAfter(Duration.ofMinutes(15));
    }
    ApplyResult result = cloud.resultOf(() -> cloud.apply(cloud.plan(STACK), events::add,
        ApplyOptions.builder().parallelism(2).build()), events);
    assertThat(result.done()).hasSize(50);
    assertThat(result.elapsed()).isGreaterThanOrEqualTo(Duration.ofMinutes(15))
        .isLessThan(Duration.ofMinutes(16));
  }

  @Test
  void apply_onAVirtualClock_repeatsTheSameEventsInTheSameOrder() {
    List<String> first = runDeterminismScenario();
    List<String> second = runDeterminismScenario();
    assertThat(first).hasSizeGreaterThan(20).isEqualTo(second);
  }

  private static List<String> runDeterminismScenario() {
    EngineTest t = new EngineTest();
    for (int i = 0; i < 6; i++) {
      t.provider.node("a" + i).readyAfter(Duration.ofMinutes(i + 1));
      t.provider.node("b" + i, "a" + i).readyAfter(Duration.ofSeconds(30 * i));
    }
    t.provider.node("flaky", "a0").failTimes(2, transientError());
    t.cloud.apply(t.cloud.plan(STACK), t.events::add, ApplyOptions.defaults());
    return t.events.stream().map(e -> e.at() + " " + e.elapsed() + " " + e).toList();
  }

  @Test
  void apply_whenNothingChanges_takesNoSimulatedTime() {
    provider.node("a").readyAfter(Duration.ofMinutes(5));
    cloud.apply(STACK);
    events.clear();
    ApplyResult noop = cloud.resultOf(() -> cloud.apply(cloud.plan(STACK), events::add,
        ApplyOptions.defaults()), events);
    assertThat(noop.elapsed()).isZero();
  }

  @Test
  void apply_whenSeveralStepsFail_listsFailuresInTheOrderTheyHappenedAndCausesWithTheFirst() {
    for (int i = 0; i < 8; i++) {
      // the later a node in the list, the sooner it fails
      TestNode node = provider.node("f" + i).readyAfter(Duration.ofMinutes(8 - i));
      node.failAfterReady = permanent("Boom" + i);
    }
    assertThatThrownBy(() -> cloud.apply(cloud.plan(STACK), events::add, ApplyOptions.defaults()))
        .isInstanceOfSatisfying(ApplyFailedException.class, e -> {
          assertThat(e.failures().keySet()).extracting(ResourceKey::name)
              .containsExactly("f7", "f6", "f5", "f4", "f3", "f2", "f1", "f0");
          assertThat(e.getCause()).hasMessageContaining("Boom7");
        });
  }

  @Test
  void apply_whenInterrupted_reportsTheRunFinishedAndKeepsTheCause() throws Exception {
    provider.node("slow").neverReady().waitPolicy =
        WaitPolicy.of(Duration.ofMillis(20), Duration.ofMillis(20), Duration.ofMinutes(5));
    Plan plan = realTime.plan(STACK);
    java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean flagKept = new java.util.concurrent.atomic.AtomicBoolean();
    Thread runner = new Thread(() -> {
      try {
        realTime.apply(plan, events::add, ApplyOptions.defaults());
      } catch (Throwable e) {
        thrown.set(e);
        flagKept.set(Thread.currentThread().isInterrupted());
      }
    });
    runner.start();
    while (provider.checks.get() < 2) {
      Thread.sleep(5);
    }
    runner.interrupt();
    runner.join(5_000);
    assertThat(thrown.get()).hasMessageContaining("interrupted").hasCauseInstanceOf(InterruptedException.class);
    assertThat(flagKept).isTrue();
    assertThat(events).last().satisfies(e -> {
      assertThat(e.type()).isEqualTo(Type.RUN_FINISHED);
      assertThat(e.message()).contains("interrupted");
    });
  }

  @Test
  void apply_whenACreateAnswerIsLost_readsAndAdoptsInsteadOfCreatingAgain() {
    provider.node("vpc").loseAnswer(transientError());
    cloud.apply(cloud.plan(STACK), events::add, ApplyOptions.defaults());
    assertThat(provider.creates).containsEntry("vpc", 1);
    assertThat(events).anyMatch(e -> e.type() == Type.NOTE && e.message().contains("failed attempt made"));
  }

  @Test
  void apply_whenAPropagationErrorClears_retriesBeyondMaxAttemptsWithinItsPatience() {
    provider.retry = e -> e instanceof ProviderException && ((ProviderException) e).errorCode().equals("NotYet")
        ? Retry.propagation(Duration.ofMinutes(15)) : Retry.never();
    provider.node("role").failTimes(12, new ProviderException("test", "NotYet", "refresh", null, 403, false, null));
    cloud.apply(cloud.plan(STACK), events::add, ApplyOptions.builder().maxAttempts(2).build());
    assertThat(provider.creates).containsEntry("role", 13);
  }

  @Test
  void apply_whenAPropagationErrorOutlastsItsPatience_failsSayingHowLong() {
    provider.retry = e -> Retry.propagation(Duration.ofMinutes(15));
    provider.node("role").fail(new ProviderException("test", "NotYet", "refresh", null, 403, false, null));
    assertThatThrownBy(() -> cloud.apply(cloud.plan(STACK), events::add, ApplyOptions.defaults()))
        .isInstanceOfSatisfying(ApplyFailedException.class, e -> assertThat(e.getCause())
            .hasMessageContaining("still after 15m").hasMessageContaining("check the permissions"));
  }

  @Test
  void plan_whenAReadIsThrottled_retriesAndReportsEachRetry() {
    provider.node("a");
    provider.readFailures.set(2);
    Plan plan = cloud.plan(STACK, events::add);
    assertThat(plan.changes()).hasSize(1);
    assertThat(events).filteredOn(e -> e.type() == Type.RETRYING).hasSize(2)
        .allSatisfy(e -> assertThat(e.message()).contains("read").contains("Throttling"));
  }

  @Test
  void plan_whenAReadIsRefusedForPermission_failsAtOnce() {
    provider.retry = e -> Retry.propagation(Duration.ofMinutes(15));
    provider.node("a");
    provider.readFailures.set(100);
    assertThatThrownBy(() -> cloud.plan(STACK, events::add)).isInstanceOf(ProviderException.class);
    assertThat(provider.calls).hasValue(1);
    assertThat(events).isEmpty();
  }

  @Test
  void builder_whenRetryDelayExceedsMaxRetryDelay_isRefusedNamingBoth() {
    assertThatThrownBy(() -> ApplyOptions.builder().retryDelay(Duration.ofMinutes(2)).build())
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("maxRetryDelay")
        .hasMessageContaining("retryDelay");
  }

  @Test
  void format_whenTheDefaultLocaleWritesDecimalCommas_stillWritesAPoint() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      assertThat(Durations.format(Duration.ofMillis(12_300))).isEqualTo("12.3s");
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void toString_whenAViolationValueIsHostile_escapesControlCharactersAndCutsIt() {
    String hostile = "db\n[ERROR] forged\u001b[31m" + "x".repeat(10_240);
    String message = new InvalidSpecException(List.of(new dev.cloudpg.Violation("networks[0].name", hostile,
        "is not a DNS label"))).getMessage();
    assertThat(message).doesNotContain("\n[ERROR]").doesNotContain("\u001b").contains("\\n[ERROR]")
        .contains("\\u001b").contains("(" + hostile.length() + " chars)").hasSizeLessThan(400);
  }

  @Test
  void done_whenItHasNoValue_isDone() {
    assertThat(Probe.done(null).isDone()).isTrue();
    assertThat(Probe.<Void>done().isDone()).isTrue();
  }

  @Test
  void apply_whenTheSpecNoLongerNamesAnOwnedResource_deletesItAfterEverythingElse() {
    provider.discovers = true;
    provider.node("net");
    provider.node("peer-a", "net");
    provider.node("peer-b", "net");
    cloud.apply(STACK);
    provider.nodes.remove("peer-b");
    provider.node("db", "net");
    Plan plan = cloud.plan(STACK);
    assertThat(plan.render()).contains("1 to create, 0 to update, 1 to delete, 2 unchanged")
        .contains("- test:node/peer-b  no longer in the spec");
    cloud.apply(plan, events::add, ApplyOptions.defaults());
    assertThat(provider.cloud).containsOnlyKeys("net", "peer-a", "db");
    assertThat(index(Type.STARTED, key("peer-b"))).isGreaterThan(index(Type.COMPLETED, key("db")));
  }

  @Test
  void plan_whenPruneIsOff_listsWhatTheSpecNoLongerNamesAsKeptAndApplyKeepsIt() {
    provider.discovers = true;
    provider.node("net");
    provider.node("old", "net");
    cloud.apply(STACK);
    provider.nodes.remove("old");
    ApplyOptions keep = ApplyOptions.builder().prune(false).build();
    Plan plan = cloud.plan(STACK, events::add, keep);
    assertThat(plan.render()).contains("= test:node/old  kept: no longer in the spec (ApplyOptions.prune is off)");
    cloud.apply(plan, events::add, keep);
    cloud.apply(cloud.plan(STACK), events::add, keep);
    assertThat(provider.cloud).containsKey("old");
  }

  @Test
  void plan_whenTheProviderKeepsARemovedResourceOnPurpose_plansNoChangeAndSaysWhyWhileADestroyRemovesIt() {
    provider.discovers = true;
    provider.node("net");
    provider.node("backups", "net");
    cloud.apply(STACK);
    provider.nodes.remove("backups");
    provider.keptOnPrune.add("backups");
    provider.extra.put("id-backups-copy", key("backups"));

    Plan plan = cloud.plan(STACK);

    assertThat(plan.hasChanges()).isFalse();
    assertThat(plan.notes()).hasSize(2).anySatisfy(n -> assertThat(n).startsWith("kept test:node/backups (")
        .endsWith("which the spec no longer names: it holds backups"))
        .anySatisfy(n -> assertThat(n).contains("which duplicates"));
    cloud.apply(plan, events::add, ApplyOptions.defaults());
    assertThat(provider.deletes).isEmpty();
    assertThat(cloud.planDestroy(STACK, dev.cloudpg.DestroyOptions.defaults()).changes())
        .anySatisfy(c -> assertThat(c.resource()).isEqualTo(key("backups")));
  }

  @Test
  void plan_whenARemovedResourceHasDeletionProtection_refusesSayingHowToProceed() {
    provider.discovers = true;
    provider.node("db").protect();
    cloud.apply(STACK);
    provider.nodes.remove("db");
    assertThatThrownBy(() -> cloud.plan(STACK)).isInstanceOf(DeletionProtectedException.class)
        .hasMessageContaining("test:node/db").hasMessageContaining("prune(false)")
        .hasMessageContaining("deletionProtection(false)");
    assertThat(provider.deletes).isEmpty();
  }

  @Test
  void plan_whenOneKeyHasTwoOwnedResources_keepsTheOneInUseAndDeletesTheOther() {
    provider.discovers = true;
    provider.node("vpc");
    provider.node("subnet", "vpc");
    cloud.apply(STACK);
    provider.extra.put("vpc-twin", key("vpc"));
    Plan plan = cloud.plan(STACK);
    assertThat(plan.render()).contains("- test:node/vpc#vpc-twin  duplicate of test:node/vpc (id-vpc is kept), "
        + "nothing uses it");
    assertThat(provider.readIds).contains("id-vpc").doesNotContain("vpc-twin:as-vpc");
    cloud.apply(plan);
    assertThat(provider.extra).isEmpty();
    assertThat(provider.cloud).containsOnlyKeys("vpc", "subnet");
  }

  @Test
  void plan_whenDuplicatesAreBothInUse_refusesListingThem() {
    provider.discovers = true;
    provider.node("vpc");
    provider.node("subnet", "vpc");
    cloud.apply(STACK);
    provider.extra.put("vpc-twin", key("vpc"));
    provider.extraReferences.put("subnet-twin", "vpc-twin");
    provider.extra.put("subnet-twin", key("subnet"));
    assertThatThrownBy(() -> cloud.plan(STACK)).isInstanceOf(ConflictException.class)
        .hasMessageContaining("test:node/vpc: 2 owned resources and each is in use");
  }

  @Test
  void destroy_whenDiscoveryFindsMoreThanTheSpec_deletesItAllAndChecksNothingIsLeft() {
    provider.discovers = true;
    provider.node("net");
    provider.node("gone", "net");
    cloud.apply(STACK);
    provider.nodes.remove("gone");
    provider.extra.put("net-twin", key("net"));
    ApplyResult result = cloud.destroy(STACK, events::add, DestroyOptions.defaults());
    assertThat(result.done()).extracting(ResourceKey::toString)
        .containsExactlyInAnyOrder("test:node/net", "test:node/gone", "test:node/net#net-twin");
    assertThat(provider.cloud).isEmpty();
    assertThat(provider.extra).isEmpty();
  }

  @Test
  void destroy_whenSomethingOwnedStays_failsListingWhatIsLeft() {
    provider.discovers = true;
    provider.node("net");
    cloud.apply(STACK);
    provider.extra.put("stubborn", ResourceKey.of("test", "node", "orphan"));
    provider.undeletable.add("stubborn");
    assertThatThrownBy(() -> cloud.destroy(STACK, events::add, DestroyOptions.defaults()))
        .isInstanceOfSatisfying(dev.cloudpg.DestroyIncompleteException.class, e -> assertThat(e.left())
            .singleElement().asString().contains("test:node/orphan"));
  }

  private int index(Type type, ResourceKey key) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).type() == type && events.get(i).resource().equals(Optional.of(key))) {
        return i;
      }
    }
    throw new AssertionError("no " + type + " event for " + key);
  }

  private static ResourceKey key(String name) {
    return ResourceKey.of("test", "node", name);
  }

  private static ProviderException permanent(String code) {
    return new ProviderException("test", code, "refused", "req-1", 400, false, null);
  }

  private static ProviderException transientError() {
    return new ProviderException("test", "Throttling", "slow down", "req-2", 429, true, null);
  }

  private static final class TestCloud extends AbstractCloud {
    TestCloud(Provider provider, TimeSource time) {
      super(provider, time);
    }

    /** The result of a run, from its RUN_FINISHED event's elapsed time and the done events. */
    ApplyResult resultOf(Runnable run, List<ProvisioningEvent> events) {
      run.run();
      ProvisioningEvent finished = events.get(events.size() - 1);
      List<ResourceKey> done = events.stream().filter(e -> e.type() == Type.COMPLETED)
          .map(e -> e.resource().orElseThrow()).toList();
      return new ApplyResult(done, Map.of(), List.of(), finished.elapsed());
    }
  }

  /** A resource kept in a map: created, updated and deleted by the test provider. */
  private static final class TestNode implements Resource {
    final TestProvider provider;
    final ResourceKey key;
    final List<ResourceKey> deps;
    Map<String, String> desired = Map.of("size", "small", "zone", "a");
    Duration work = Duration.ZERO;
    RuntimeException failure;
    int failuresLeft = Integer.MAX_VALUE;
    boolean neverReady;
    boolean deletionProtected;
    boolean loseAnswer;
    Duration readyAfter = Duration.ZERO;
    WaitPolicy waitPolicy = WaitPolicy.of(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(60));
    RuntimeException failAfterReady;
    Set<String> replaceable = Set.of();
    String changeNote;
    /**
     * As an AWS peering connection: while the old one lives, a read answers it, and a replacement made is found by
     * {@link #readReplacement} only (kept in the provider's {@code replacements} until the old one is deleted).
     */
    boolean readAnswersTheOld;

    TestNode(TestProvider provider, String name, List<ResourceKey> deps) {
      this.provider = provider;
      this.key = EngineTest.key(name);
      this.deps = deps;
    }

    TestNode work(Duration d) {
      work = d;
      return this;
    }

    TestNode fail(RuntimeException e) {
      failure = e;
      failuresLeft = Integer.MAX_VALUE;
      return this;
    }

    TestNode failTimes(int times, RuntimeException e) {
      failure = e;
      failuresLeft = times;
      return this;
    }

    /** The create happens, then the call fails with the failure, as when an answer is lost. */
    TestNode loseAnswer(RuntimeException e) {
      loseAnswer = true;
      return failTimes(1, e);
    }

    /** Ready {@code d} after its create, polled as slow resources are: every 10 to 30 s, for up to an hour. */
    TestNode readyAfter(Duration d) {
      readyAfter = d;
      waitPolicy = WaitPolicy.of(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofHours(1));
      return this;
    }

    TestNode neverReady() {
      neverReady = true;
      return this;
    }

    TestNode protect() {
      deletionProtected = true;
      return this;
    }

    @Override
    public ResourceKey key() {
      return key;
    }

    @Override
    public List<ResourceKey> dependencies() {
      return deps;
    }

    @Override
    public Map<String, String> desired() {
      return desired;
    }

    @Override
    public Set<String> updatable() {
      return Set.of("size");
    }

    @Override
    public Set<String> replaceable() {
      return replaceable;
    }

    @Override
    public WaitPolicy waitPolicy() {
      return waitPolicy;
    }

    @Override
    public Optional<Observed> read(StepContext ctx) {
      provider.calls.incrementAndGet();
      if (provider.readFailures.getAndDecrement() > 0) {
        throw provider.retry == null ? transientError()
            : new ProviderException("test", "AuthorizationFailed", "no access", null, 403, false, null);
      }
      Map<String, String> state = provider.cloud.get(key.name());
      ctx.discovered().ifPresent(d -> provider.readIds.add(d.id()));
      if (state == null) {
        return Optional.empty();
      }
      if (provider.foreign.contains(key.name())) {
        return Optional.of(Observed.foreign("made by hand"));
      }
      Observed seen = Observed.owned(state, Outputs.builder().put(ID, state.get("id")).build())
          .withDeletionProtection(deletionProtected);
      return Optional.of(changeNote == null ? seen : seen.withChangeNote(changeNote));
    }

    @Override
    public Outputs create(StepContext ctx) {
      provider.calls.incrementAndGet();
      provider.creates.merge(key.name(), 1, Integer::sum);
      int now = provider.concurrent.incrementAndGet();
      provider.maxConcurrent.accumulateAndGet(now, Math::max);
      try {
        Thread.sleep(work.toMillis());
        provider.outputsSeenBy.put(key.name(), deps.stream().map(d -> ctx.get(d, ID)).toList());
        if (failure != null && failuresLeft > 0 && !loseAnswer) {
          failuresLeft--;
          throw failure;
        }
        Map<String, String> state = new ConcurrentHashMap<>(desired);
        // a replacement gets an id of its own
        String id = provider.cloud.containsKey(key.name()) ? "id-" + key.name() + "-" + provider.creates.get(key.name())
            : "id-" + key.name();
        state.put("id", id);
        provider.log.add("create " + id);
        state.put("createdAt", ctx.time().now().toString());
        if (deletionProtected) {
          state.put("protected", "true");
        }
        if (readAnswersTheOld && provider.cloud.containsKey(key.name())) {
          provider.replacements.put(key.name(), state);
        } else {
          provider.cloud.put(key.name(), state);
        }
        if (failure != null && failuresLeft > 0) {
          failuresLeft--;
          throw failure;
        }
        return Outputs.builder().put(ID, id).build();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      } finally {
        provider.concurrent.decrementAndGet();
      }
    }

    @Override
    public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
      provider.checks.incrementAndGet();
      if (neverReady) {
        return Probe.pending("pending");
      }
      java.time.Instant created = java.time.Instant.parse(provider.cloud.get(key.name()).get("createdAt"));
      if (ctx.time().now().isBefore(created.plus(readyAfter))) {
        return Probe.pending("creating");
      }
      if (failAfterReady != null) {
        throw failAfterReady;
      }
      return Probe.done(started);
    }

    @Override
    public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
      provider.log.add("update " + key.name() + " on " + deps.stream().map(d -> ctx.get(d, ID)).toList());
      provider.cloud.get(key.name()).putAll(changes);
      return current.outputs();
    }

    @Override
    public void delete(StepContext ctx, Observed current) {
      provider.deletes.add(key.name());
      provider.log.add("delete " + current.outputs().get(ID));
      // only the one read: the old one of a replacement, not the new one
      provider.cloud.computeIfPresent(key.name(), (k, state) -> state.get("id").equals(current.outputs().get(ID))
          ? provider.replacements.remove(k) : state);
    }

    @Override
    public Optional<Observed> readReplacement(StepContext ctx, Observed old) {
      return Optional.ofNullable(provider.replacements.get(key.name()))
          .map(state -> Observed.owned(state, Outputs.builder().put(ID, state.get("id")).build()));
    }
  }

  private static final class TestProvider implements Provider {
    final Map<String, TestNode> nodes = Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    final Map<String, Map<String, String>> cloud = new ConcurrentHashMap<>();
    /** The new ones of replacements under way, of nodes that {@code readAnswersTheOld}. */
    final Map<String, Map<String, String>> replacements = new ConcurrentHashMap<>();
    final Set<String> foreign = ConcurrentHashMap.newKeySet();
    final Map<String, Integer> creates = new ConcurrentHashMap<>();
    final Map<String, List<String>> outputsSeenBy = new ConcurrentHashMap<>();
    final List<String> deletes = new CopyOnWriteArrayList<>();
    /** Creates, updates and deletes, in the order they were made. */
    final List<String> log = new CopyOnWriteArrayList<>();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger checks = new AtomicInteger();
    final AtomicInteger readFailures = new AtomicInteger();
    java.util.function.Function<Throwable, Retry> retry;
    boolean discovers;
    /** Owned resources beyond the nodes' own: id to key. */
    final Map<String, ResourceKey> extra = new ConcurrentHashMap<>();
    final Map<String, String> extraReferences = new ConcurrentHashMap<>();
    final Set<String> undeletable = ConcurrentHashMap.newKeySet();
    final List<String> readIds = new CopyOnWriteArrayList<>();
    final AtomicInteger concurrent = new AtomicInteger();
    final AtomicInteger maxConcurrent = new AtomicInteger();
    java.util.function.Consumer<Violations> rule = v -> { };
    java.util.function.Consumer<Violations> references = v -> { };
    final AtomicInteger referenceChecks = new AtomicInteger();
    /** The names of nodes an apply keeps when the spec no longer names them. */
    final Set<String> keptOnPrune = ConcurrentHashMap.newKeySet();

    TestNode node(String name, String... deps) {
      TestNode node = new TestNode(this, name, java.util.Arrays.stream(deps).map(EngineTest::key).toList());
      nodes.put(name, node);
      return node;
    }

    @Override
    public String name() {
      return "test";
    }

    @Override
    public void validate(Stack stack, Violations violations) {
      rule.accept(violations);
    }

    List<String> notes = List.of();

    @Override
    public List<String> notes(Stack stack) {
      return notes;
    }

    @Override
    public void checkReferences(Stack stack, Violations violations) {
      referenceChecks.incrementAndGet();
      references.accept(violations);
    }

    @Override
    public List<Resource> expand(Stack stack) {
      return new ArrayList<>(nodes.values());
    }

    @Override
    public Optional<List<dev.cloudpg.spi.Discovered>> discover(Stack stack) {
      if (!discovers) {
        return Optional.empty();
      }
      List<dev.cloudpg.spi.Discovered> found = new ArrayList<>();
      cloud.forEach((name, state) -> {
        if (!foreign.contains(name)) {
          TestNode node = nodes.get(name);
          Set<String> refs = node == null ? Set.of()
              : node.deps.stream().map(d -> "id-" + d.name()).collect(java.util.stream.Collectors.toSet());
          found.add(dev.cloudpg.spi.Discovered.of(key(name), state.get("id"), "node " + name, refs));
        }
      });
      extra.forEach((id, k) -> found.add(dev.cloudpg.spi.Discovered.of(k, id, "extra " + id,
          Optional.ofNullable(extraReferences.get(id)).map(Set::of).orElse(Set.of()))));
      found.sort(java.util.Comparator.comparing(d -> d.id()));
      return Optional.of(found);
    }

    @Override
    public Optional<String> keptOnPrune(dev.cloudpg.spi.Discovered found) {
      return keptOnPrune.contains(found.key().name()) ? Optional.of("it holds backups") : Optional.empty();
    }

    @Override
    public Resource orphan(Stack stack, dev.cloudpg.spi.Discovered found) {
      TestProvider provider = this;
      return new Resource() {
        @Override
        public ResourceKey key() {
          return found.key();
        }

        @Override
        public List<ResourceKey> dependencies() {
          TestNode node = nodes.get(found.key().name());
          return node == null ? List.of() : node.deps;
        }

        @Override
        public Map<String, String> desired() {
          return Map.of();
        }

        @Override
        public Optional<Observed> read(StepContext ctx) {
          String id = ctx.discovered().orElseThrow().id();
          readIds.add(id);
          if (extra.containsKey(id)) {
            return Optional.of(Observed.owned(Map.of(), Outputs.builder().put(ID, id).build()));
          }
          return cloud.values().stream().filter(st -> id.equals(st.get("id"))).findFirst()
              .map(st -> Observed.owned(st, Outputs.builder().put(ID, id).build())
                  .withDeletionProtection("true".equals(st.get("protected"))));
        }

        @Override
        public Outputs create(StepContext ctx) {
          throw new UnsupportedOperationException();
        }

        @Override
        public void delete(StepContext ctx, Observed current) {
          String id = current.outputs().get(ID);
          if (undeletable.contains(id)) {
            return;
          }
          provider.deletes.add(found.key().name());
          extra.remove(id);
          cloud.values().removeIf(st -> id.equals(st.get("id")));
        }
      };
    }

    @Override
    public Retry retry(Throwable e) {
      return retry != null ? retry.apply(e) : Provider.super.retry(e);
    }

    @Override
    public StackOutputs outputs(Stack stack, Function<ResourceKey, Optional<Outputs>> outputs) {
      return StackOutputs.builder().stack(stack.name()).build();
    }
  }
}
