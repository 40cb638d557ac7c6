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
  /** The resource this one lives in ({@code null} for none), as the model records it. */
  private static final Output<String> PARENT = Output.string("parent");
  /** While an update moves a resource into another parent: the old one, which the check waits to be gone. */
  private static final Output<String> MOVED_FROM = Output.string("movedFrom");

  private static final WaitPolicy QUICK = WaitPolicy.of(Duration.ofSeconds(1), Duration.ofSeconds(5),
      Duration.ofMinutes(30));
  private static final WaitPolicy SLOW = WaitPolicy.of(Duration.ofSeconds(5), Duration.ofSeconds(15),
      Duration.ofMinutes(90));
  private static final DateTimeFormatter SNAPSHOT_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final FakeModel model;
  private final String name;
  private final Map<String, String> specTags;
  private final Map<String, String> desired;
  private final Set<String> updatable;
  private final Set<String> replaceable;
  private final boolean follows;
  private final Function<StepContext, String> parent;
  private final Function<StepContext, Map<String, String>> attributes;

  /**
   * @param specTags the spec's tags for what it is made for (a network's, a database's, a peering's), which it is made
   *     with beside the ownership tags
   * @param replaceable the desired properties whose change replaces the resource, new before old (a peering's peer)
   * @param follows whether it follows the replacement of a dependency: an update then computes its attributes and
   *     parent again from the dependencies' new outputs (a route, a firewall rule of a peering)
   * @param parent the id of the resource this one lives in, from the dependencies' outputs; null for none
   * @param attributes attributes to create with, beyond {@code desired}, computed from the dependencies' outputs
   */
  FakeNode(FakeModel model, ResourceKey key, List<ResourceKey> dependencies, String name,
      Map<String, String> specTags, Map<String, String> desired, Set<String> updatable, Set<String> replaceable,
      boolean follows,
      Function<StepContext, String> parent, Function<StepContext, Map<String, String>> attributes) {
    super(key, dependencies);
    this.model = model;
    this.name = name;
    this.specTags = Map.copyOf(specTags);
    this.desired = Map.copyOf(desired);
    this.updatable = Set.copyOf(updatable);
    this.replaceable = Set.copyOf(replaceable);
    this.follows = follows;
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
  public Set<String> replaceable() {
    return replaceable;
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
    return outputs(createOrAdopt(ctx, parent.apply(ctx), attrs));
  }

  /** The stack's resources of this type and name that are not being deleted. */
  private java.util.stream.Stream<FakeResource> namesakes(StepContext ctx) {
    return model.list(type()).stream().filter(r -> r.name().equals(name) && !r.state().equals("deleting")
        && Ownership.ownedBy(r.tags(), ctx.stack().name()));
  }

  /**
   * Creates the resource in {@code parentId}; one of the stack's there already, made between the plan and now by a
   * run of this stack that died or by an attempt whose answer was lost, is adopted rather than failed on.
   */
  private FakeResource createOrAdopt(StepContext ctx, String parentId, Map<String, String> attrs) {
    try {
      return model.create(type(), name, parentId, ctx.ownershipTags(specTags), attrs);
    } catch (ProviderException e) {
      Optional<FakeResource> mine = e.errorCode().equals("AlreadyExists")
          ? namesakes(ctx).filter(r -> java.util.Objects.equals(r.attributes().get("parent"), parentId)).findFirst()
          : Optional.empty();
      return mine.orElseThrow(() -> e);
    }
  }

  /**
   * The new one of a replacement that a create whose answer was lost made: owned, of the same type and name, and not
   * the old one (names are tags here, as on AWS, so the two coexist until the old one is deleted).
   */
  @Override
  public Optional<Observed> readReplacement(StepContext ctx, Observed old) {
    String oldId = old.outputs().get(ID);
    return namesakes(ctx).filter(r -> !r.id().equals(oldId)).findFirst().map(r -> observe(ctx, r));
  }

  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    Optional<String> movedFrom = started.find(MOVED_FROM);
    if (movedFrom.isPresent() && model.describeById(type(), movedFrom.get()).isPresent()) {
      return Probe.pending("moved; the old one is being deleted");
    }
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

  /**
   * Sets the changes; for a resource that {@code follows} its dependencies, the attributes computed from their
   * outputs too. When its parent changed as well (the route back from the peer's network, after a peering was
   * replaced by one to another network), it makes the resource in the new parent and deletes the old one; the check
   * waits until that is gone.
   */
  @Override
  public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    String id = current.outputs().get(ID);
    if (!follows) {
      return outputs(model.modify(id, changes));
    }
    Map<String, String> attrs = new LinkedHashMap<>(attributes.apply(ctx));
    attrs.putAll(changes);
    String parentNow = parent.apply(ctx);
    Optional<String> parentWas = current.outputs().find(PARENT);
    if (parentNow != null && parentWas.isPresent() && !parentNow.equals(parentWas.get())) {
      Map<String, String> all = new LinkedHashMap<>(desired);
      all.putAll(attrs);
      FakeResource moved = createOrAdopt(ctx, parentNow, all);
      if (model.describeById(type(), id).filter(r -> !r.state().equals("deleting")).isPresent()) {
        model.delete(id);
      }
      ctx.note("moved from " + parentWas.get() + " to " + parentNow);
      return outputs(moved).toBuilder().put(MOVED_FROM, id).build();
    }
    return outputs(model.modify(id, attrs));
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
