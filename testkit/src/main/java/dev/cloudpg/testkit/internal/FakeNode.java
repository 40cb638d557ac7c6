package dev.cloudpg.testkit.internal;

import dev.cloudpg.ConflictException;
import dev.cloudpg.ProviderException;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.spi.AbstractResource;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Ownership;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import dev.cloudpg.spi.Version;
import dev.cloudpg.spi.WaitPolicy;
import dev.cloudpg.testkit.FakeResource;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One resource of a stack in the fake cloud: found by type and name, owned through its tags. Its outputs are its id,
 * name and state plus every attribute the model holds for it.
 */
final class FakeNode extends AbstractResource {
  static final Output<String> ID = Output.string("id");
  static final Output<String> STATE = Output.string("state");
  static final Output<String> CIDR = Output.string("cidr");
  static final Output<String> ZONE = Output.string("zone");
  static final Output<String> PORT = Output.string("port");
  static final Output<String> PEER_NETWORK_ID = Output.string("peerNetworkId");
  static final Output<String> PEER_CIDR = Output.string("peerCidr");
  static final Output<String> WRITER_ENDPOINT = Output.string("writerEndpoint");
  static final Output<String> READER_ENDPOINT = Output.string("readerEndpoint");
  static final Output<String> SECRET_REFERENCE = Output.string("secretReference");

  private static final WaitPolicy QUICK = WaitPolicy.of(Duration.ofSeconds(1), Duration.ofSeconds(5),
      Duration.ofMinutes(30));
  private static final WaitPolicy SLOW = WaitPolicy.of(Duration.ofSeconds(5), Duration.ofSeconds(15),
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

  private String type() {
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
    Optional<FakeResource> found = ctx.discovered().isPresent()
        ? model.describeById(type(), ctx.discovered().get().id()) : model.describe(type(), name);
    return found.map(r -> observe(ctx, r));
  }

  private Observed observe(StepContext ctx, FakeResource r) {
    if (!Ownership.ownedBy(r.tags(), ctx.stack().name())) {
      return Observed.foreign("fake " + type() + " " + r.id() + " is " + Ownership.owner(r.tags()));
    }
    Map<String, String> properties = new LinkedHashMap<>();
    desired.keySet().forEach(k -> Optional.ofNullable(r.attributes().get(k)).ifPresent(v -> properties.put(k, v)));
    if (type().equals("database-cluster") && properties.containsKey("version")) {
      properties.put("version", observedVersion(r.id(), properties.get("version"), desired.get("version")));
    }
    return Observed.owned(properties, outputs(r))
        .withDeletionProtection("true".equals(r.attributes().get("deletionProtection")));
  }

  /**
   * The running version as the plan compares it, with "at least" semantics as on AWS: the spec's major at the spec's
   * minor or newer is up to date, an older minor of it is upgraded in place, another major is refused (no downgrade,
   * and the fake makes no major upgrade).
   */
  private String observedVersion(String id, String actual, String wanted) {
    Version have = Version.parse(actual);
    Version want = Version.parse(wanted);
    if (have.major() != want.major()) {
      throw new ConflictException(key() + ": fake database cluster " + Text.quote(id) + " runs PostgreSQL "
          + Text.quote(actual) + " and the spec asks for " + Text.quote(wanted) + (have.major() > want.major()
              ? "; cloudpg never downgrades a database: ask for " + have.major() + " (or " + actual + ")"
              : "; FakeCloud makes no major version upgrade")
          + "; nothing was changed");
    }
    return have.satisfies(want) ? wanted : actual;
  }

  private static Outputs outputs(FakeResource r) {
    Outputs.Builder b = Outputs.builder().put(ID, r.id()).put(Output.string("name"), r.name())
        .put(STATE, r.state());
    r.attributes().forEach((k, v) -> b.put(Output.string(k), v));
    return b.build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    Map<String, String> attrs = new LinkedHashMap<>(desired);
    attrs.putAll(attributes.apply(ctx));
    try {
      return outputs(model.create(type(), name, parent.apply(ctx), ctx.ownershipTags(), attrs));
    } catch (ProviderException e) {
      // Made between the plan and now by a run of this stack that died: adopt it rather than fail.
      Optional<FakeResource> mine = e.errorCode().equals("AlreadyExists")
          ? model.describe(type(), name).filter(r -> Ownership.ownedBy(r.tags(), ctx.stack().name()))
          : Optional.empty();
      return outputs(mine.orElseThrow(() -> e));
    }
  }

  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    String id = started.get(ID);
    FakeResource r = model.describeById(type(), id)
        .orElseThrow(() -> new IllegalStateException(key() + ": " + id + " vanished while being created"));
    switch (r.state()) {
      case "pending-acceptance":
        return Probe.pending(model.accept(id).state());
      case "rejected":
        return Probe.failed("the peer network's owner rejected peering " + id
            + "; check that they expect it and accept it on their side");
      case "available":
      case "active":
        return Probe.done(outputs(r));
      default:
        return Probe.pending(r.state());
    }
  }

  @Override
  public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    return outputs(model.modify(current.outputs().get(ID), changes));
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    String id = current.outputs().get(ID);
    Optional<FakeResource> now = model.describeById(type(), id);
    if (now.isEmpty() || now.get().state().equals("deleting")) {
      return;
    }
    if (current.deletionProtected()) {
      model.modify(id, Map.of("deletionProtection", "false"));
    }
    if (type().equals("database-cluster") && !ctx.destroyOptions().skipFinalSnapshot()) {
      String snapshot = name + "-final-" + SNAPSHOT_TIME.format(ctx.time().now());
      model.create("snapshot", snapshot, null, Map.of("source", id), Map.of("source", id));
      ctx.note("final snapshot " + snapshot);
    }
    model.delete(id);
  }

  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    return model.describeById(type(), current.outputs().get(ID)).<Probe<Void>>map(r -> Probe.pending(r.state()))
        .orElse(Probe.done());
  }
}
