package dev.cloudpg.testkit.internal;

import dev.cloudpg.ProviderException;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.AbstractResource;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.WaitPolicy;
import dev.cloudpg.testkit.FakeResource;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** One resource of a stack in the fake cloud: found by type and name, owned through its tags. */
final class FakeNode extends AbstractResource {
  private static final WaitPolicy QUICK = WaitPolicy.of(Duration.ofSeconds(1), Duration.ofSeconds(5),
      Duration.ofMinutes(30));
  private static final WaitPolicy SLOW = WaitPolicy.of(Duration.ofSeconds(10), Duration.ofSeconds(30),
      Duration.ofMinutes(90));
  private static final DateTimeFormatter SNAPSHOT_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final FakeModel model;
  private final String name;
  private final Map<String, String> desired;
  private final Set<String> updatable;
  private final Function<StepContext, String> parent;
  private final Function<StepContext, Map<String, String>> attributes;

  /**
   * @param parent the id of the resource this one lives in, from the dependencies' outputs; null for none
   * @param attributes attributes to create with, beyond {@code desired}, computed from the dependencies' outputs
   */
  FakeNode(FakeModel model, ResourceKey key, List<ResourceKey> dependencies, String name,
      Map<String, String> desired, Set<String> updatable, Function<StepContext, String> parent,
      Function<StepContext, Map<String, String>> attributes) {
    super(key, dependencies);
    this.model = model;
    this.name = name;
    this.desired = Map.copyOf(desired);
    this.updatable = Set.copyOf(updatable);
    this.parent = parent;
    this.attributes = attributes;
  }

  String type() {
    return key().type();
  }

  @Override
  public Map<String, String> desired() {
    return desired;
  }

  @Override
  public Set<String> updatable() {
    return updatable;
  }

  @Override
  public WaitPolicy waitPolicy() {
    return type().startsWith("database") ? SLOW : QUICK;
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return model.describe(type(), name).map(r -> observe(ctx, r));
  }

  private Observed observe(StepContext ctx, FakeResource r) {
    if (!ctx.stack().name().equals(r.stack())) {
      return Observed.foreign("fake " + type() + " " + r.id() + (r.stack() == null ? " has no cloudpg:stack tag"
          : " belongs to stack " + r.stack()));
    }
    Map<String, String> properties = new LinkedHashMap<>();
    desired.keySet().forEach(k -> Optional.ofNullable(r.attributes().get(k)).ifPresent(v -> properties.put(k, v)));
    return Observed.owned(properties, outputs(r))
        .withDeletionProtection("true".equals(r.attributes().get("deletionProtection")));
  }

  private static Outputs outputs(FakeResource r) {
    Outputs.Builder b = Outputs.builder().put("id", r.id()).put("name", r.name()).put("state", r.state());
    r.attributes().forEach(b::put);
    return b.build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    Map<String, String> attrs = new LinkedHashMap<>(desired);
    attrs.putAll(attributes.apply(ctx));
    FakeResource made;
    try {
      made = model.create(type(), name, parent.apply(ctx), ctx.ownershipTags(), attrs);
    } catch (ProviderException e) {
      // A retried step may find its own earlier attempt: adopt it rather than fail or duplicate it.
      Optional<FakeResource> mine = e.errorCode().equals("AlreadyExists")
          ? model.describe(type(), name).filter(r -> ctx.stack().name().equals(r.stack())) : Optional.empty();
      made = mine.orElseThrow(() -> e);
    }
    if (type().equals("peering") && made.state().equals("pending-acceptance")) {
      made = model.accept(made.id());
    }
    return outputs(awaitReady(ctx, made));
  }

  private FakeResource awaitReady(StepContext ctx, FakeResource made) {
    String ready = type().equals("peering") ? "active" : "available";
    if (made.state().equals(ready)) {
      return made;
    }
    String id = made.id();
    return ctx.await(ready, () -> {
      FakeResource r = model.describeById(type(), id)
          .orElseThrow(() -> new IllegalStateException(key() + ": " + id + " vanished while being created"));
      if (r.state().equals("rejected")) {
        return Probe.failed("the peer network's owner rejected peering " + id
            + "; check that they expect it and accept it on their side");
      }
      return r.state().equals(ready) ? Probe.done(r) : Probe.pending(r.state());
    });
  }

  @Override
  public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    return outputs(model.modify(current.outputs().string("id"), changes));
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    String id = current.outputs().string("id");
    if (current.deletionProtected()) {
      model.modify(id, Map.of("deletionProtection", "false"));
    }
    if (type().equals("database-cluster") && !ctx.destroyOptions().skipFinalSnapshot()) {
      String snapshot = name + "-final-" + SNAPSHOT_TIME.format(ctx.time().now());
      model.create("snapshot", snapshot, null, Map.of("source", id), Map.of("source", id));
      ctx.note("final snapshot " + snapshot);
    }
    model.delete(id);
    ctx.await("deleted", () -> model.describeById(type(), id).map(r -> Probe.<Boolean>pending(r.state()))
        .orElse(Probe.done(true)));
  }
}
