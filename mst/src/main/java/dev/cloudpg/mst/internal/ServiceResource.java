package dev.cloudpg.mst.internal;

import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Secret;
import dev.cloudpg.Stack;
import dev.cloudpg.mst.MstOptions;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Ownership;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import dev.cloudpg.spi.WaitPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A database as an Aiven PostgreSQL service with the TimescaleDB variant in the network's project VPC. The service is
 * the stack's by its tags ({@code cloudpg:stack}, {@code cloudpg:key}, sent in the create itself), never by its name
 * alone; one of that name without them is someone else's. Deletion protection is Aiven's termination protection.
 * The create asks for the service; the check waits until it runs with a host. The plan and the PostgreSQL major
 * version change in place (Aiven rebuilds the service while it keeps serving); a newer minor of the same major
 * satisfies the spec, and a lower major is refused before any request, since Aiven cannot downgrade.
 */
final class ServiceResource extends MstResource {
  static final Output<String> SERVICE_NAME = Output.string("serviceName");
  static final Output<String> STATE = Output.string("state");
  static final Output<String> PLAN = Output.string("plan");
  static final Output<String> CLOUD = Output.string("cloud");
  static final Output<String> HOST = Output.string("host");
  static final Output<String> PORT = Output.string("port");
  /** The service URI, with the admin password in it. */
  static final Output<Secret> CONNECTION_URI = Output.secret("connectionUri");

  /** MST builds a service in five to ten minutes. */
  static final WaitPolicy SERVICE_WAIT = WaitPolicy.of(Duration.ofSeconds(10), Duration.ofSeconds(30),
      Duration.ofMinutes(60));
  static final String PROTECTION = "terminationProtection";
  static final String PG_VERSION = "pgVersion";

  private final PostgresCluster db;
  private final ResourceKey vpc;

  ServiceResource(MstContext mst, Stack stack, PostgresCluster db, ResourceKey vpc) {
    super(mst, stack, Keys.service(db.name()), List.of(vpc));
    this.db = db;
    this.vpc = vpc;
  }

  static String serviceName(PostgresCluster db) {
    return db.option(MstOptions.class).flatMap(MstOptions::serviceName).orElse(db.name());
  }

  static String plan(PostgresCluster db) {
    return db.option(MstOptions.class).flatMap(MstOptions::plan)
        .orElseGet(() -> MstOptions.planFor(db.instances(), db.size()));
  }

  @Override
  WaitPolicy ownWaitPolicy() {
    return SERVICE_WAIT;
  }

  /** The PostgreSQL major version the spec asks for. */
  static String major(PostgresCluster db) {
    return db.version().split("\\.")[0];
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("plan", plan(db), "cloud", mst.cloud(), PG_VERSION, major(db),
        PROTECTION, String.valueOf(db.deletionProtection()));
  }

  @Override
  public Set<String> updatable() {
    return Set.of("plan", PG_VERSION, PROTECTION);
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    String vpcId = ctx.get(vpc, ProjectVpcResource.VPC_ID);
    return mst.aiven().getService(mst.project(), serviceName(db)).map(s -> {
      if (!ownedBy(s, stack, key())) {
        return Observed.foreign("service " + Text.quote(s.serviceName()) + " of project " + Text.quote(mst.project())
            + " is " + Ownership.owner(s.tags()) + " (by its tags); to let this stack manage it, tag it "
            + Ownership.STACK + "=" + Text.quote(stack.name()) + " and " + Ownership.KEY + "=" + key()
            + " (avn service tags update), or give the database another serviceName");
      }
      if (!s.projectVpcId().map(vpcId::equals).orElse(false)) {
        return Observed.foreign("service " + Text.quote(s.serviceName()) + " of project " + Text.quote(mst.project())
            + " is not in the stack's project VPC " + Text.quote(vpcId));
      }
      return Observed.owned(Map.of("plan", s.plan(), "cloud", s.cloudName(), PG_VERSION, reported(s.pgVersion()),
          PROTECTION, String.valueOf(s.terminationProtection())), outputs(s))
          .withDeletionProtection(s.terminationProtection());
    });
  }

  /** Whether the service's tags make it this key's resource of the stack. */
  static boolean ownedBy(AivenService s, Stack stack, dev.cloudpg.ResourceKey key) {
    return Ownership.ownedBy(s.tags(), stack.name()) && key.toString().equals(s.tags().get(Ownership.KEY));
  }

  /**
   * The running major as the spec's value when it is the same major (a newer minor satisfies the spec), or when Aiven
   * does not say.
   */
  private String reported(String running) {
    return running.isEmpty() || running.split("\\.")[0].equals(major(db)) ? major(db) : running;
  }

  private static Outputs outputs(AivenService s) {
    Outputs.Builder out = Outputs.builder().put(SERVICE_NAME, s.serviceName()).put(STATE, s.state())
        .put(PLAN, s.plan()).put(CLOUD, s.cloudName()).put(HOST, s.host());
    s.port().ifPresent(p -> out.put(PORT, String.valueOf(p)));
    s.serviceUri().ifPresent(uri -> out.put(CONNECTION_URI, uri));
    return out.build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    String vpcId = ctx.get(vpc, ProjectVpcResource.VPC_ID);
    String name = serviceName(db);
    AivenService created = mst.aiven().createService(mst.project(), new AivenServiceRequest(name, plan(db),
        mst.cloud(), vpcId, major(db), db.deletionProtection(), ctx.ownershipTags(db.tags())));
    ctx.note("asked MST for service " + name + " (plan " + plan(db) + ", TimescaleDB) in project VPC " + vpcId);
    return outputs(created);
  }

  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    String name = serviceName(db);
    return mst.aiven().getService(mst.project(), name)
        .map(s -> s.running() && s.host().isPresent() && plan(db).equals(s.plan())
            && reported(s.pgVersion()).equals(major(db)) ? Probe.done(outputs(s)) : Probe.<Outputs>pending(s.state()))
        .orElseGet(() -> Probe.failed("service " + Text.quote(name) + " disappeared while it was being built; check "
            + "the project's services in the Aiven console and apply again"));
  }

  /**
   * Termination protection on its own request; the plan and the major version together in one, after which the
   * check waits for the rebuilt service to run the new plan.
   */
  @Override
  public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    String name = serviceName(db);
    String running = current.property(PG_VERSION).orElse(major(db));
    if (changes.containsKey(PG_VERSION) && Integer.parseInt(running.split("\\.")[0])
        > Integer.parseInt(major(db))) {
      throw new dev.cloudpg.CloudpgException("service " + Text.quote(name) + " runs PostgreSQL " + Text.quote(running)
          + " and the spec asks for " + Text.quote(db.version()) + ": MST cannot downgrade a service; give "
          + "version(\"" + Text.escape(running) + "\") or make a new service and move the data");
    }
    AivenService s = null;
    if (changes.containsKey(PROTECTION)) {
      s = mst.aiven().setTerminationProtection(mst.project(), name, db.deletionProtection());
    }
    if (changes.containsKey("plan") || changes.containsKey(PG_VERSION)) {
      s = mst.aiven().updateService(mst.project(), name, plan(db), major(db));
      ctx.note("asked MST to change service " + name + " in place: " + changes.keySet().stream().filter(k ->
          !k.equals(PROTECTION)).map(k -> k + " " + current.property(k).orElse("") + " -> " + changes.get(k))
          .collect(java.util.stream.Collectors.joining(", ")) + "; it keeps serving while it rebuilds");
    }
    return s == null ? current.outputs() : outputs(s);
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    String name = serviceName(db);
    if (current.deletionProtected() && ctx.destroyOptions().overrideDeletionProtection()) {
      mst.aiven().setTerminationProtection(mst.project(), name, false);
      ctx.note("turned termination protection off on service " + name + " to delete it");
    }
    mst.aiven().deleteService(mst.project(), name);
  }

  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    return mst.aiven().getService(mst.project(), serviceName(db)).map(s -> Probe.<Void>pending(s.state()))
        .orElseGet(Probe::done);
  }
}
