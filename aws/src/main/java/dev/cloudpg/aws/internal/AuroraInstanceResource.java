package dev.cloudpg.aws.internal;

import dev.cloudpg.ConflictException;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.aws.AuroraOptions;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.WaitPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;

/**
 * One instance of an Aurora cluster, {@code <cluster>-instance-<n>}, in the zone of the network's subnet
 * {@code (n - 1) mod zones}: instances go round-robin over the zones. Instance 1 has promotion tier 0, so it is the
 * preferred writer; each instance is its own resource, so they are created and awaited in parallel.
 */
final class AuroraInstanceResource extends AwsResource {
  private final PostgresCluster db;
  private final int number;
  private final ResourceKey cluster;
  private final ResourceKey subnet;
  private final String clusterId;
  private final String id;
  private final String instanceClass;

  AuroraInstanceResource(AwsContext aws, Stack stack, PostgresCluster db, int number, ResourceKey cluster,
      ResourceKey subnet) {
    super(aws, stack, key("aurora-instance", db.name() + "-" + number), List.of(cluster, subnet));
    this.db = db;
    this.number = number;
    this.cluster = cluster;
    this.subnet = subnet;
    this.clusterId = Names.cluster(db);
    this.id = Names.instance(clusterId, number);
    this.instanceClass = db.option(AuroraOptions.class).flatMap(AuroraOptions::instanceClass)
        .orElse(AuroraOptions.instanceClassFor(db.size()));
  }

  @Override
  WaitPolicy ownWaitPolicy() {
    return WaitPolicy.of(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(90));
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("identifier", id, "cluster", clusterId, "instanceClass", instanceClass);
  }

  @Override
  public Set<String> updatable() {
    return Set.of("instanceClass");
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return find().map(this::observe);
  }

  private Optional<DBInstance> find() {
    try {
      return aws.rds().describeDBInstances(b -> b.dbInstanceIdentifier(id)).dbInstances().stream().findFirst();
    } catch (DbInstanceNotFoundException e) {
      return Optional.empty();
    }
  }

  private Observed observe(DBInstance i) {
    Map<String, String> tags = Tags.rds(i.tagList());
    if (!Tags.ownedBy(tags, stack.name())) {
      return Observed.foreign("DB instance " + id + " is " + Tags.owner(tags));
    }
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("identifier", i.dbInstanceIdentifier());
    properties.put("cluster", String.valueOf(i.dbClusterIdentifier()));
    properties.put("instanceClass", i.dbInstanceClass());
    properties.put("zone", String.valueOf(i.availabilityZone()));
    return Observed.owned(properties, outputs(i));
  }

  private static Outputs outputs(DBInstance i) {
    return Outputs.builder().put("instanceId", i.dbInstanceIdentifier()).put("zone", i.availabilityZone())
        .put("endpoint", i.endpoint() == null ? null : i.endpoint().address()).put("status", i.dbInstanceStatus())
        .build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    boolean performanceInsights = db.option(AuroraOptions.class).orElse(AuroraOptions.defaults())
        .performanceInsights();
    String zone = ctx.outputsOf(subnet).string("zone");
    try {
      aws.rds().createDBInstance(b -> b.dbInstanceIdentifier(id).dbClusterIdentifier(clusterId)
          .engine(AuroraClusterResource.ENGINE).dbInstanceClass(instanceClass).availabilityZone(zone)
          .promotionTier(number == 1 ? 0 : 1).enablePerformanceInsights(performanceInsights)
          .publiclyAccessible(false).tags(Tags.toRds(tags(ctx, null, db.tags()))));
    } catch (DbInstanceAlreadyExistsException e) {
      Optional<Observed> existing = find().map(this::observe);
      if (existing.isEmpty() || !existing.get().owned()) {
        throw new ConflictException(key() + ": DB instance " + id + " exists and is not owned by stack "
            + stack.name());
      }
    }
    return awaitAvailable(ctx);
  }

  private Outputs awaitAvailable(StepContext ctx) {
    return ctx.await("available", () -> {
      Optional<DBInstance> i = find();
      if (i.isEmpty()) {
        return Probe.pending("not yet visible");
      }
      String status = i.get().dbInstanceStatus();
      if ("available".equals(status)) {
        return Probe.done(outputs(i.get()));
      }
      if (status != null && (status.equals("failed") || status.startsWith("incompatible")
          || status.equals("storage-full") || status.equals("inaccessible-encryption-credentials"))) {
        return Probe.failed("DB instance " + id + " is " + status + "; see its events in the RDS console");
      }
      return Probe.pending(status);
    });
  }

  @Override
  public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    aws.rds().modifyDBInstance(b -> b.dbInstanceIdentifier(id).dbInstanceClass(instanceClass).applyImmediately(true));
    return awaitAvailable(ctx);
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    try {
      aws.rds().deleteDBInstance(b -> b.dbInstanceIdentifier(id));
    } catch (DbInstanceNotFoundException e) {
      return;
    }
    ctx.await("deleted", () -> find().<Probe<Boolean>>map(i -> Probe.pending(i.dbInstanceStatus()))
        .orElse(Probe.done(true)));
  }
}
