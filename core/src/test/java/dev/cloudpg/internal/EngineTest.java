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
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.Provider;
import dev.cloudpg.spi.Resource;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.TimeSource;
import dev.cloudpg.spi.Violations;
import dev.cloudpg.spi.WaitPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
  private static final ApplyOptions FAST_RETRIES =
      ApplyOptions.builder().retryDelay(Duration.ofMillis(1)).maxRetryDelay(Duration.ofMillis(5)).build();

  private final TestProvider provider = new TestProvider();
  private final TestCloud cloud = new TestCloud(provider);
  private final List<ProvisioningEvent> events = new CopyOnWriteArrayList<>();

  @Test
  void apply_whenIndependentBranches_runsAtMostParallelismStepsAtOnceAndUsesThemAll() {
    for (int i = 0; i < 8; i++) {
      provider.node("n" + i).work(Duration.ofMillis(80));
    }
    cloud.apply(cloud.plan(STACK), events::add, ApplyOptions.builder().parallelism(3).build());
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
    assertThatThrownBy(() -> cloud.apply(cloud.plan(STACK), events::add, ApplyOptions.builder().parallelism(2)
        .build()))
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
  }

  @Test
  void apply_whenWaitTimeoutIsShorterThanTheResources_honoursIt() {
    provider.node("stuck").neverReady();
    assertThatThrownBy(() -> cloud.apply(cloud.plan(STACK), events::add, ApplyOptions.builder()
        .waitTimeout(Duration.ofMillis(15)).build()))
        .isInstanceOfSatisfying(ApplyFailedException.class, e -> assertThat(e.failures().get(key("stuck")))
            .isInstanceOfSatisfying(WaitTimedOutException.class, t -> assertThat(t.waited())
                .isGreaterThanOrEqualTo(Duration.ofMillis(15)).isLessThan(Duration.ofMillis(60))));
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
    TestCloud(Provider provider) {
      super(provider, TimeSource.system());
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
    public WaitPolicy waitPolicy() {
      return WaitPolicy.of(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(60));
    }

    @Override
    public Optional<Observed> read(StepContext ctx) {
      provider.calls.incrementAndGet();
      Map<String, String> state = provider.cloud.get(key.name());
      if (state == null) {
        return Optional.empty();
      }
      if (provider.foreign.contains(key.name())) {
        return Optional.of(Observed.foreign("made by hand"));
      }
      return Optional.of(Observed.owned(state, Outputs.of("id", state.get("id")))
          .withDeletionProtection(deletionProtected));
    }

    @Override
    public Outputs create(StepContext ctx) {
      provider.calls.incrementAndGet();
      provider.creates.merge(key.name(), 1, Integer::sum);
      int now = provider.concurrent.incrementAndGet();
      provider.maxConcurrent.accumulateAndGet(now, Math::max);
      try {
        Thread.sleep(work.toMillis());
        provider.outputsSeenBy.put(key.name(),
            deps.stream().map(d -> ctx.outputsOf(d).string("id")).toList());
        if (failure != null && failuresLeft > 0) {
          failuresLeft--;
          throw failure;
        }
        if (neverReady) {
          ctx.await("ready", () -> Probe.pending("pending"));
        }
        Map<String, String> state = new ConcurrentHashMap<>(desired);
        state.put("id", "id-" + key.name());
        provider.cloud.put(key.name(), state);
        return Outputs.of("id", "id-" + key.name());
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      } finally {
        provider.concurrent.decrementAndGet();
      }
    }

    @Override
    public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
      provider.cloud.get(key.name()).putAll(changes);
      return current.outputs();
    }

    @Override
    public void delete(StepContext ctx, Observed current) {
      provider.deletes.add(key.name());
      provider.cloud.remove(key.name());
    }
  }

  private static final class TestProvider implements Provider {
    final Map<String, TestNode> nodes = Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    final Map<String, Map<String, String>> cloud = new ConcurrentHashMap<>();
    final Set<String> foreign = ConcurrentHashMap.newKeySet();
    final Map<String, Integer> creates = new ConcurrentHashMap<>();
    final Map<String, List<String>> outputsSeenBy = new ConcurrentHashMap<>();
    final List<String> deletes = new CopyOnWriteArrayList<>();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger concurrent = new AtomicInteger();
    final AtomicInteger maxConcurrent = new AtomicInteger();
    java.util.function.Consumer<Violations> rule = v -> { };

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

    @Override
    public List<Resource> expand(Stack stack) {
      return new ArrayList<>(nodes.values());
    }

    @Override
    public StackOutputs outputs(Stack stack, Function<ResourceKey, Optional<Outputs>> outputs) {
      return StackOutputs.builder().stack(stack.name()).build();
    }
  }
}
