package dev.cloudpg.mst.internal;

import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProviderException;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.mst.MstOptions;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.WaitPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A database as an Aiven PostgreSQL service with the TimescaleDB variant in the network's project VPC. The service is
 * the stack's when it is in the stack's VPC. Deletion protection is Aiven's termination protection.
 */
final class ServiceResource extends MstResource {
  /** MST builds a service in five to ten minutes. */
  static final WaitPolicy SERVICE_WAIT = WaitPolicy.of(Duration.ofSeconds(10), Duration.ofSeconds(30),
      Duration.ofMinutes(60));
  static final String PROTECTION = "terminationProtection";

  private final PostgresCluster db;
  private final ResourceKey vpc;

  ServiceResource(MstContext mst, Stack stack, PostgresCluster db, ResourceKey vpc) {
    super(mst, stack, key("service", db.name()), List.of(vpc));
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

  @Override
  public Map<String, String> desired() {
    return Map.of("plan", plan(db), "cloud", mst.cloud(), PROTECTION, String.valueOf(db.deletionProtection()));
  }

  @Override
  public Set<String> updatable() {
    return Set.of(PROTECTION);
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    String vpcId = ctx.outputsOf(vpc).string("vpcId");
    return mst.aiven().getService(mst.project(), serviceName(db)).map(s -> {
      if (!s.projectVpcId().map(vpcId::equals).orElse(false)) {
        return Observed.foreign("service " + s.serviceName() + " of project " + mst.project() + " is not in the "
            + "stack's project VPC " + vpcId);
      }
      return Observed.owned(Map.of("plan", s.plan(), "cloud", s.cloudName(),
          PROTECTION, String.valueOf(s.terminationProtection())), outputs(s))
          .withDeletionProtection(s.terminationProtection());
    });
  }

  private static Outputs outputs(AivenService s) {
    Outputs.Builder out = Outputs.builder().put("serviceName", s.serviceName()).put("state", s.state())
        .put("plan", s.plan()).put("cloud", s.cloudName());
    s.host().ifPresent(h -> out.put("host", h));
    s.port().ifPresent(p -> out.put("port", String.valueOf(p)));
    s.serviceUri().ifPresent(uri -> out.put("connectionUri", uri));
    return out.build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    String vpcId = ctx.outputsOf(vpc).string("vpcId");
    String name = serviceName(db);
    try {
      mst.aiven().createService(mst.project(), new AivenServiceRequest(name, plan(db), mst.cloud(), vpcId,
          db.version().split("\\.")[0], db.deletionProtection()));
      ctx.note("asked MST for service " + name + " (plan " + plan(db) + ", TimescaleDB) in project VPC " + vpcId);
    } catch (ProviderException e) {
      // A retried create that reached Aiven the first time: adopt the service if it is in our VPC.
      boolean ours = e.httpStatus() == 409 && mst.aiven().getService(mst.project(), name)
          .flatMap(AivenService::projectVpcId).map(vpcId::equals).orElse(false);
      if (!ours) {
        throw e;
      }
    }
    return awaitRunning(ctx, name);
  }

  private Outputs awaitRunning(StepContext ctx, String name) {
    AivenService running = ctx.await("service RUNNING", () -> mst.aiven().getService(mst.project(), name)
        .map(s -> s.running() && s.host().isPresent() ? Probe.done(s) : Probe.<AivenService>pending(s.state()))
        .orElseGet(() -> Probe.failed("service " + name + " disappeared while it was being built")));
    return outputs(running);
  }

  @Override
  public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    String name = serviceName(db);
    mst.aiven().setTerminationProtection(mst.project(), name, db.deletionProtection());
    return awaitRunning(ctx, name);
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    String name = serviceName(db);
    if (current.deletionProtected() && ctx.destroyOptions().overrideDeletionProtection()) {
      mst.aiven().setTerminationProtection(mst.project(), name, false);
      ctx.note("turned termination protection off on service " + name + " to delete it");
    }
    mst.aiven().deleteService(mst.project(), name);
    ctx.await("service deleted", () -> mst.aiven().getService(mst.project(), name)
        .map(s -> Probe.<Boolean>pending(s.state())).orElseGet(() -> Probe.done(Boolean.TRUE)));
  }
}
