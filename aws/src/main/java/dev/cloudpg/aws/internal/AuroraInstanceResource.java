package dev.cloudpg.aws.internal;

import dev.cloudpg.ConflictException;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.aws.AuroraOptions;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Ownership;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
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
import software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException;

/**
 * One instance of an Aurora cluster, {@code <cluster>-instance-<n>}, in the zone of the network's subnet
 * {@code (n - 1) mod zones}: instances go round-robin over the zones. Instance 1 has promotion tier 0, so it is the
 * preferred writer; each instance is its own resource, so they are created and awaited in parallel. {@code create}
 * sends {@code CreateDBInstance} and the check waits until the instance is {@code available} in the class asked for;
 * {@code delete} sends {@code DeleteDBInstance} and its check waits until the instance is gone.
 */
final class AuroraInstanceResource extends AwsResource {
  static final Output<String> INSTANCE_ID = Output.string("instanceId");
  static final Output<String> ZONE = Output.string("zone");
  /** Known once the instance is available. */
  static final Output<String> ENDPOINT = Output.string("endpoint");
  static final Output<String> STATUS = Output.string("status");

  private final PostgresCluster db;
  private final int number;
  private final ResourceKey subnet;
  private final String clusterId;
  private final String id;
  private final String instanceClass;

  AuroraInstanceResource(AwsContext aws, Stack stack, PostgresCluster db, int number, ResourceKey cluster,
      ResourceKey subnet) {
    super(aws, stack, Keys.auroraInstance(db.name(), number), List.of(cluster, subnet));
    this.db = db;
    this.number = number;
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
    if (!Ownership.ownedBy(tags, stack.name())) {
      return Observed.foreign("DB instance " + Text.quote(id) + " is " + Ownership.owner(tags));
    }
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("identifier", i.dbInstanceIdentifier());
    properties.put("cluster", String.valueOf(i.dbClusterIdentifier()));
    properties.put("instanceClass", i.dbInstanceClass());
    properties.put("zone", String.valueOf(i.availabilityZone()));
    return Observed.owned(properties, outputs(i));
  }

  private static Outputs outputs(DBInstance i) {
    return Outputs.builder().put(INSTANCE_ID, i.dbInstanceIdentifier()).put(ZONE, i.availabilityZone())
        .put(ENDPOINT, i.endpoint() == null ? null : i.endpoint().address()).put(STATUS, i.dbInstanceStatus())
        .build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    boolean performanceInsights = db.option(AuroraOptions.class).orElse(AuroraOptions.defaults())
        .performanceInsights();
    String zone = ctx.get(subnet, SubnetResource.ZONE);
    try {
      return outputs(aws.rds().createDBInstance(b -> b.dbInstanceIdentifier(id).dbClusterIdentifier(clusterId)
          .engine(AuroraClusterResource.ENGINE).dbInstanceClass(instanceClass).availabilityZone(zone)
          .promotionTier(number == 1 ? 0 : 1).enablePerformanceInsights(performanceInsights)
          .publiclyAccessible(false).tags(Tags.toRds(tags(ctx, null, db.tags())))).dbInstance());
    } catch (DbInstanceAlreadyExistsException e) {
      Optional<Observed> existing = read(ctx);
      if (existing.isPresent() && existing.get().owned()) {
        return existing.get().outputs();
      }
      throw new ConflictException(key() + ": DB instance " + Text.quote(id) + " exists and is not owned by stack "
          + Text.quote(stack.name()));
    }
  }

  /** Done when the instance is available in the instance class the spec asks for. */
  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    Optional<DBInstance> found = find();
    if (found.isEmpty()) {
      return Probe.pending("not yet visible");
    }
    DBInstance i = found.get();
    Optional<String> failure = AuroraStatus.failure("DB instance " + Text.quote(id), i.dbInstanceStatus());
    if (failure.isPresent()) {
      return Probe.failed(failure.get());
    }
    if (!AuroraStatus.AVAILABLE.equals(i.dbInstanceStatus())) {
      return Probe.pending(String.valueOf(i.dbInstanceStatus()));
    }
    return instanceClass.equals(i.dbInstanceClass()) ? Probe.done(outputs(i))
        : Probe.pending("available as " + i.dbInstanceClass() + ", changing to " + instanceClass);
  }

  @Override
  public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    aws.rds().modifyDBInstance(b -> b.dbInstanceIdentifier(id).dbInstanceClass(instanceClass).applyImmediately(true));
    return current.outputs();
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    try {
      aws.rds().deleteDBInstance(b -> b.dbInstanceIdentifier(id));
    } catch (DbInstanceNotFoundException e) {
      // already gone
    } catch (InvalidDbInstanceStateException e) {
      // a repeated delete finds the instance already going
      if (!find().map(i -> AuroraStatus.DELETING.equals(i.dbInstanceStatus())).orElse(true)) {
        throw e;
      }
    }
  }

  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    return find().<Probe<Void>>map(i -> Probe.pending(String.valueOf(i.dbInstanceStatus()))).orElse(Probe.done());
  }
}
