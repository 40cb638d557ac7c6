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
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterMember;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.Filter;
import software.amazon.awssdk.services.rds.model.InvalidDbClusterStateException;
import software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException;

/**
 * One instance of an Aurora cluster, {@code <cluster>-instance-<n>}, in the zone of the network's subnet
 * {@code (n - 1) mod zones}: instances go round-robin over the zones. Instance 1 has promotion tier 0, so it is the
 * preferred writer; each instance is its own resource, so they are created and awaited in parallel. {@code create}
 * sends {@code CreateDBInstance} as soon as the cluster exists (RDS accepts instances of a cluster still being
 * created) and the check waits until the instance is {@code available} in the class asked for, and the cluster too;
 * {@code delete} sends {@code DeleteDBInstance} and its check waits until the instance is gone.
 */
final class AuroraInstanceResource extends AwsResource {
  static final Output<String> INSTANCE_ID = Output.string("instanceId");
  static final Output<String> ZONE = Output.string("zone");
  /** Known once the instance is available. */
  static final Output<String> ENDPOINT = Output.string("endpoint");
  static final Output<String> STATUS = Output.string("status");
  /** Marks the outputs {@link #update} returns: the check then makes the class change, one instance at a time. */
  private static final Output<String> ROLLING_TO = Output.string("rollingTo");
  /** Marks the outputs {@link #update} returns when the change waits for the maintenance window. */
  private static final Output<String> DEFERRED_TO = Output.string("deferredTo");

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
    this.instanceClass = instanceClass(db);
  }

  /** The class of the database's instances: {@link AuroraOptions#instanceClass()} or the one for its size. */
  static String instanceClass(PostgresCluster db) {
    return db.option(AuroraOptions.class).flatMap(AuroraOptions::instanceClass)
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
    return find().map(this::observe).map(o -> o.owned() ? o.withChangeNote(role(ctx)) : o);
  }

  /** How a class change of this instance is made, as the plan says it. */
  private String role(StepContext ctx) {
    if (deferred()) {
      return "deferred to the maintenance window (AuroraOptions.applyDuringMaintenanceWindow), which AWS applies "
          + "to each instance in turn";
    }
    Optional<Outputs> cluster = ctx.findOutputs(dependencies().get(0));
    String writer = cluster.flatMap(o -> o.find(AuroraClusterResource.WRITER)).orElse(null);
    List<String> readers = cluster.flatMap(o -> o.find(AuroraClusterResource.READERS)).orElse(List.of());
    if (id.equals(writer)) {
      return readers.isEmpty() ? "the only instance: the database is unavailable while it changes; add an instance "
          + "to avoid that" : "the writer, last: after the " + (readers.size() == 1 ? "reader" : readers.size()
          + " readers") + ", a failover to an upgraded reader, then this one";
    }
    return "reader " + (readers.indexOf(id) + 1) + " of " + readers.size() + ", one at a time, then failover";
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

  /**
   * Done when the instance is available in the instance class the spec asks for. During a class change
   * ({@link #update}) it also takes the change's next step, decided from what it reads, so that the cluster keeps a
   * writer throughout: a reader is modified once every reader numbered before it is done and nothing else in the
   * cluster is changing; the writer, once every reader is done, fails over to the first upgraded reader and is then
   * modified as a reader.
   */
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
    if (instanceClass.equals(i.dbInstanceClass())) {
      // created while the cluster was still being created: done when both are available
      String cluster = AuroraClusterResource.find(aws, clusterId).map(DBCluster::status).orElse("gone");
      return AuroraStatus.AVAILABLE.equals(cluster) ? Probe.done(outputs(i))
          : Probe.pending("available; DB cluster " + Text.quote(clusterId) + " is " + cluster);
    }
    if (started.find(DEFERRED_TO).isPresent()) {
      return Probe.done(outputs(i)); // the change is pending until the maintenance window
    }
    if (started.find(ROLLING_TO).isEmpty()) {
      return Probe.pending("available as " + i.dbInstanceClass() + ", changing to " + instanceClass);
    }
    return nextStep();
  }

  /** The next step of a rolling class change of this instance, which is available in another class. */
  private Probe<Outputs> nextStep() {
    DBCluster cluster = AuroraClusterResource.find(aws, clusterId).orElseThrow(() -> new IllegalStateException(
        "DB cluster " + Text.quote(clusterId) + " is gone"));
    if (!AuroraStatus.AVAILABLE.equals(cluster.status())) {
      return Probe.pending("waiting for DB cluster " + Text.quote(clusterId) + ": " + cluster.status());
    }
    Map<String, DBInstance> members = new LinkedHashMap<>();
    aws.rds().describeDBInstancesPaginator(b -> b.filters(Filter.builder().name("db-cluster-id").values(clusterId)
        .build()))
        .dbInstances().forEach(m -> members.put(m.dbInstanceIdentifier(), m));
    Optional<DBInstance> busy = members.values().stream()
        .filter(m -> !m.dbInstanceIdentifier().equals(id) && !AuroraStatus.AVAILABLE.equals(m.dbInstanceStatus()))
        .findFirst();
    if (busy.isPresent()) {
      return Probe.pending("waiting for " + Text.quote(busy.get().dbInstanceIdentifier()) + ": "
          + busy.get().dbInstanceStatus());
    }
    boolean writer = cluster.dbClusterMembers().stream()
        .anyMatch(m -> id.equals(m.dbInstanceIdentifier()) && Boolean.TRUE.equals(m.isClusterWriter()));
    List<String> readers = cluster.dbClusterMembers().stream().filter(m -> !Boolean.TRUE.equals(m.isClusterWriter()))
        .map(DBClusterMember::dbInstanceIdentifier).filter(members::containsKey).sorted(Names::byInstanceNumber)
        .toList();
    List<String> behind = readers.stream().filter(r -> !r.equals(id))
        .filter(r -> !instanceClass.equals(members.get(r).dbInstanceClass())).toList();
    if (!writer) {
      List<String> first = behind.stream().filter(r -> Names.byInstanceNumber(r, id) < 0).toList();
      if (!first.isEmpty()) {
        return Probe.pending("waiting for reader " + Text.quote(first.get(0)) + " to change first");
      }
      return modify("modifying reader " + (readers.indexOf(id) + 1) + " of " + readers.size());
    }
    if (readers.isEmpty()) {
      return modify("modifying the only instance");
    }
    if (!behind.isEmpty()) {
      return Probe.pending("the writer waits for the readers " + behind + " to change");
    }
    String target = readers.get(0);
    try {
      aws.rds().failoverDBCluster(b -> b.dbClusterIdentifier(clusterId).targetDBInstanceIdentifier(target));
    } catch (InvalidDbClusterStateException | InvalidDbInstanceStateException e) {
      return Probe.pending("failover to " + Text.quote(target) + " not yet possible: " + e.awsErrorDetails()
          .errorCode());
    }
    return Probe.pending("failing over to " + Text.quote(target) + ", then modifying this one");
  }

  private Probe<Outputs> modify(String what) {
    try {
      aws.rds().modifyDBInstance(b -> b.dbInstanceIdentifier(id).dbInstanceClass(instanceClass)
          .applyImmediately(true));
    } catch (InvalidDbInstanceStateException e) {
      return Probe.pending(what + ": not yet possible (" + e.awsErrorDetails().errorCode() + ")");
    }
    return Probe.pending(what + " to " + instanceClass);
  }

  /**
   * Starts nothing: the class change is made by the check, step by step; or, deferred to the maintenance window,
   * requests it with {@code ApplyImmediately} false.
   */
  @Override
  public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    if (deferred()) {
      aws.rds().modifyDBInstance(b -> b.dbInstanceIdentifier(id).dbInstanceClass(instanceClass)
          .applyImmediately(false));
      return current.outputs().toBuilder().put(DEFERRED_TO, instanceClass).build();
    }
    return current.outputs().toBuilder().put(ROLLING_TO, instanceClass).build();
  }

  private boolean deferred() {
    return db.option(AuroraOptions.class).map(AuroraOptions::applyDuringMaintenanceWindow).orElse(false);
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
