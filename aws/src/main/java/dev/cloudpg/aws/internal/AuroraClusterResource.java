package dev.cloudpg.aws.internal;

import dev.cloudpg.ConflictException;
import dev.cloudpg.DeletionProtectedException;
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
import dev.cloudpg.spi.Version;
import dev.cloudpg.spi.WaitPolicy;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.rds.model.CreateDbClusterRequest;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DbClusterAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.InvalidDbClusterStateException;

/**
 * An Aurora PostgreSQL DB cluster: encrypted storage, the master password managed in Secrets Manager unless the spec
 * gives one, backups, deletion protection. Its instances are separate resources. {@code create} sends
 * {@code CreateDBCluster} and the check waits until the cluster is {@code available} with the settings asked for;
 * {@code delete} sends {@code DeleteDBCluster} and its check waits until the cluster is gone.
 */
final class AuroraClusterResource extends AwsResource {
  static final String ENGINE = "aurora-postgresql";
  static final Output<String> CLUSTER_ID = Output.string("clusterId");
  static final Output<String> ARN = Output.string("arn");
  static final Output<String> RESOURCE_ID = Output.string("resourceId");
  static final Output<String> WRITER_ENDPOINT = Output.string("writerEndpoint");
  static final Output<String> READER_ENDPOINT = Output.string("readerEndpoint");
  static final Output<String> PORT = Output.string("port");
  static final Output<String> ENGINE_VERSION = Output.string("engineVersion");
  /** The ARN of the Secrets Manager secret of a managed master password. */
  static final Output<String> SECRET_ARN = Output.string("secretArn");
  static final Output<String> STATUS = Output.string("status");
  /** The identifier of the instance that is the writer, when there is one. */
  static final Output<String> WRITER = Output.string("writer");
  /** The identifiers of the other instances, the readers. */
  static final Output<List<String>> READERS = Output.list("readers");
  private static final DateTimeFormatter SNAPSHOT_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final PostgresCluster db;
  private final ResourceKey subnetGroup;
  private final ResourceKey securityGroup;
  private final String id;
  private final String engineVersion;
  private final AuroraOptions options;

  AuroraClusterResource(AwsContext aws, Stack stack, PostgresCluster db, ResourceKey subnetGroup,
      ResourceKey securityGroup) {
    super(aws, stack, Keys.auroraCluster(db.name()), List.of(subnetGroup, securityGroup));
    this.db = db;
    this.subnetGroup = subnetGroup;
    this.securityGroup = securityGroup;
    this.id = Names.cluster(db);
    this.engineVersion = engineVersion(db);
    this.options = db.option(AuroraOptions.class).orElse(AuroraOptions.defaults());
  }

  @Override
  WaitPolicy ownWaitPolicy() {
    // Aurora clusters take minutes; Terraform polls them every 30 s for up to 2 hours.
    return WaitPolicy.of(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofHours(2));
  }

  @Override
  public Map<String, String> desired() {
    Map<String, String> desired = new LinkedHashMap<>();
    desired.put("identifier", id);
    desired.put("engine", ENGINE);
    desired.put("engineVersion", engineVersion);
    desired.put("databaseName", db.databaseName());
    desired.put("masterUsername", db.masterUsername());
    desired.put("password", passwordMode(db.masterPassword().isEmpty()));
    desired.put("port", String.valueOf(db.port()));
    desired.put("storageEncrypted", "true");
    desired.put("backupRetentionDays", String.valueOf(db.backupRetentionDays()));
    desired.put("deletionProtection", String.valueOf(db.deletionProtection()));
    return desired;
  }

  @Override
  public Set<String> updatable() {
    return Set.of("backupRetentionDays", "deletionProtection", "engineVersion");
  }

  private static String passwordMode(boolean managed) {
    return managed ? "managed in Secrets Manager" : "given";
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return find().map(this::observe);
  }

  private Optional<DBCluster> find() {
    return find(aws, id);
  }

  /** The cluster {@code id}, if it exists. */
  static Optional<DBCluster> find(AwsContext aws, String id) {
    try {
      return aws.rds().describeDBClusters(b -> b.dbClusterIdentifier(id)).dbClusters().stream().findFirst();
    } catch (DbClusterNotFoundException e) {
      return Optional.empty();
    }
  }

  private Observed observe(DBCluster c) {
    Map<String, String> tags = Tags.rds(c.tagList());
    if (!Ownership.ownedBy(tags, stack.name())) {
      return Observed.foreign("DB cluster " + Text.quote(id) + " is " + Ownership.owner(tags));
    }
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("identifier", c.dbClusterIdentifier());
    properties.put("engine", c.engine());
    properties.put("engineVersion", observedVersion(c.engineVersion()));
    properties.put("databaseName", String.valueOf(c.databaseName()));
    properties.put("masterUsername", c.masterUsername());
    properties.put("password", passwordMode(c.masterUserSecret() != null));
    properties.put("port", String.valueOf(c.port()));
    properties.put("storageEncrypted", String.valueOf(Boolean.TRUE.equals(c.storageEncrypted())));
    properties.put("backupRetentionDays", String.valueOf(c.backupRetentionPeriod()));
    properties.put("deletionProtection", String.valueOf(Boolean.TRUE.equals(c.deletionProtection())));
    Observed seen = Observed.owned(properties, outputs(c))
        .withDeletionProtection(Boolean.TRUE.equals(c.deletionProtection()));
    if (!properties.get("engineVersion").equals(engineVersion)) {
      boolean major = c.engineVersion() != null && version(c.engineVersion()).major() != version(engineVersion).major();
      String how = major ? "a major version upgrade, with the cluster parameter group " + parameterGroup() : "in place";
      seen = seen.withChangeNote(options.applyDuringMaintenanceWindow() ? how + ", deferred to the maintenance window"
          + " (AuroraOptions.applyDuringMaintenanceWindow)" : how);
    }
    return seen;
  }

  /** The default cluster parameter group of the family of the spec's major version. */
  private String parameterGroup() {
    return "default." + ENGINE + version(engineVersion).major();
  }

  /**
   * The running version as the plan compares it, with "at least" semantics, since AWS upgrades minor versions on its
   * own: a version of the spec's major that is the spec's or newer is reported as the spec's (up to date); an older
   * minor of that major as itself (an in-place upgrade). Another major is refused: a downgrade never happens, and a
   * major upgrade is not made by cloudpg.
   */
  private String observedVersion(String actual) {
    if (actual == null) {
      return "";
    }
    Version want = version(engineVersion);
    Version have = version(actual);
    if (have.major() < want.major() && options.allowMajorVersionUpgrade()) {
      return actual; // upgraded in place by update
    }
    if (have.major() != want.major()) {
      throw new ConflictException(key() + ": DB cluster " + Text.quote(id) + " runs Aurora PostgreSQL "
          + Text.quote(actual) + " and the spec asks for " + Text.quote(engineVersion) + (have.major() > want.major()
          ? "; cloudpg never downgrades a database: ask for " + have.major() + " (or " + actual + ")"
          : "; a major version upgrade is made only with AuroraOptions.allowMajorVersionUpgrade(true) (it sets "
              + "AllowMajorVersionUpgrade and the default cluster parameter group of the new family)")
          + "; nothing was changed");
    }
    return have.satisfies(want) ? engineVersion : actual;
  }

  /** Whether {@code v} names a major only ({@code 17}), leaving the minor to the region's default. */
  static boolean majorOnly(String v) {
    return !v.contains(".");
  }

  /** The engine version the spec asks for: {@link AuroraOptions#engineVersion()} or the database's version. */
  static String engineVersion(PostgresCluster db) {
    return db.option(AuroraOptions.class).flatMap(AuroraOptions::engineVersion).orElse(db.version());
  }

  /** {@code 17.5} or {@code 17} as a {@link Version}. */
  private static Version version(String v) {
    try {
      return Version.parse(v);
    } catch (IllegalArgumentException e) {
      throw new ConflictException("not an Aurora PostgreSQL version: " + Text.quote(v));
    }
  }

  /** The outputs of a cluster as RDS describes it. */
  static Outputs outputs(DBCluster c) {
    return Outputs.builder().put(CLUSTER_ID, c.dbClusterIdentifier()).put(ARN, c.dbClusterArn())
        .put(RESOURCE_ID, c.dbClusterResourceId()).put(WRITER_ENDPOINT, c.endpoint())
        .put(READER_ENDPOINT, c.readerEndpoint()).put(PORT, c.port() == null ? null : String.valueOf(c.port()))
        .put(ENGINE_VERSION, c.engineVersion())
        .put(SECRET_ARN, c.masterUserSecret() == null ? null : c.masterUserSecret().secretArn())
        .put(STATUS, c.status())
        .put(WRITER, c.dbClusterMembers().stream().filter(m -> Boolean.TRUE.equals(m.isClusterWriter()))
            .map(m -> m.dbInstanceIdentifier()).findFirst().orElse(null))
        .put(READERS, c.dbClusterMembers().stream().filter(m -> !Boolean.TRUE.equals(m.isClusterWriter()))
            .map(m -> m.dbInstanceIdentifier()).sorted(Names::byInstanceNumber).toList())
        .build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    AuroraOptions options = db.option(AuroraOptions.class).orElse(AuroraOptions.defaults());
    String version = engineVersion;
    if (majorOnly(engineVersion)) {
      Optional<String> minor = aws.defaultMinor(engineVersion);
      version = minor.orElse(engineVersion);
      ctx.note(minor.map(v -> "Aurora PostgreSQL " + engineVersion + " is " + v + ", the region's default")
          .orElse("the region's default minor of Aurora PostgreSQL " + engineVersion + " could not be read "
              + "(DescribeDBEngineVersions gave no answer); sent " + engineVersion + " for RDS to choose"));
    }
    CreateDbClusterRequest.Builder request = CreateDbClusterRequest.builder().dbClusterIdentifier(id)
        .engine(ENGINE).engineVersion(version).databaseName(db.databaseName())
        .masterUsername(db.masterUsername()).port(db.port()).storageEncrypted(true)
        .backupRetentionPeriod(db.backupRetentionDays()).deletionProtection(db.deletionProtection())
        .dbSubnetGroupName(ctx.get(subnetGroup, DbSubnetGroupResource.NAME))
        .vpcSecurityGroupIds(ctx.get(securityGroup, SecurityGroupResource.SECURITY_GROUP_ID))
        .copyTagsToSnapshot(true)
        .tags(Tags.toRds(tags(ctx, null, db.tags())));
    options.kmsKeyId().ifPresent(request::kmsKeyId);
    if (db.masterPassword().isPresent()) {
      request.masterUserPassword(db.masterPassword().get().reveal());
    } else {
      request.manageMasterUserPassword(true);
    }
    try {
      return outputs(aws.rds().createDBCluster(request.build()).dbCluster());
    } catch (DbClusterAlreadyExistsException e) {
      Optional<Observed> existing = read(ctx);
      if (existing.isPresent() && existing.get().owned()) {
        return existing.get().outputs();
      }
      throw new ConflictException(key() + ": DB cluster " + Text.quote(id) + " exists and is not owned by stack "
          + Text.quote(stack.name()) + "; choose another name (AuroraOptions.clusterIdentifier)");
    }
  }

  /**
   * Done when the cluster is available with the backup retention and deletion protection the spec asks for; a
   * cluster being created is done as soon as RDS shows it, so that its instances are created at once, as the
   * procedure does: the instances' checks then wait for the cluster and themselves together.
   */
  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    Optional<DBCluster> found = find();
    if (found.isEmpty()) {
      return Probe.pending("not yet visible");
    }
    DBCluster c = found.get();
    Optional<String> failure = AuroraStatus.failure("DB cluster " + Text.quote(id), c.status());
    if (failure.isPresent()) {
      return Probe.failed(failure.get());
    }
    if (AuroraStatus.CREATING.equals(c.status())) {
      return Probe.done(outputs(c));
    }
    if (!AuroraStatus.AVAILABLE.equals(c.status())) {
      return Probe.pending(String.valueOf(c.status()));
    }
    boolean settled = Integer.valueOf(db.backupRetentionDays()).equals(c.backupRetentionPeriod())
        && db.deletionProtection() == Boolean.TRUE.equals(c.deletionProtection())
        && (c.engineVersion() == null || version(c.engineVersion()).satisfies(version(engineVersion))
            || options.applyDuringMaintenanceWindow());
    return settled ? Probe.done(outputs(c)) : Probe.pending("available, applying the change");
  }

  @Override
  public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    boolean major = current.outputs().find(ENGINE_VERSION)
        .map(v -> version(v).major() != version(engineVersion).major()).orElse(false);
    aws.rds().modifyDBCluster(b -> {
      b.dbClusterIdentifier(id).applyImmediately(true);
      if (changes.containsKey("engineVersion")) {
        // a newer version than runs (planned only then): a minor in place, a major only when the options allow it
        b.engineVersion(engineVersion).applyImmediately(!options.applyDuringMaintenanceWindow());
        if (major) {
          b.allowMajorVersionUpgrade(true).dbClusterParameterGroupName(parameterGroup());
        }
      }
      if (changes.containsKey("backupRetentionDays")) {
        b.backupRetentionPeriod(Integer.parseInt(changes.get("backupRetentionDays")));
      }
      if (changes.containsKey("deletionProtection")) {
        b.deletionProtection(Boolean.parseBoolean(changes.get("deletionProtection")));
      }
    });
    return current.outputs();
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    startDelete(aws, ctx, id, current.deletionProtected());
  }

  /**
   * Starts deleting the cluster {@code id}: turns its deletion protection off when the destroy overrides it (refuses
   * otherwise), and keeps a final snapshot unless told not to. A cluster already gone or going is no failure.
   */
  static void startDelete(AwsContext aws, StepContext ctx, String id, boolean deletionProtected) {
    if (deletionProtected) {
      if (!ctx.destroyOptions().overrideDeletionProtection()) {
        throw new DeletionProtectedException(List.of(ctx.key()));
      }
      aws.rds().modifyDBCluster(b -> b.dbClusterIdentifier(id).deletionProtection(false).applyImmediately(true));
      ctx.note("turned deletion protection off on DB cluster " + Text.quote(id));
    }
    boolean skipSnapshot = ctx.destroyOptions().skipFinalSnapshot();
    String snapshot = id + "-final-" + SNAPSHOT_TIME.format(ctx.time().now());
    try {
      aws.rds().deleteDBCluster(b -> {
        b.dbClusterIdentifier(id);
        if (skipSnapshot) {
          b.skipFinalSnapshot(true);
        } else {
          b.skipFinalSnapshot(false).finalDBSnapshotIdentifier(snapshot);
        }
      });
    } catch (DbClusterNotFoundException e) {
      return;
    } catch (InvalidDbClusterStateException e) {
      // a repeated delete finds the cluster already going: its first request made the final snapshot
      if (find(aws, id).map(c -> AuroraStatus.DELETING.equals(c.status())).orElse(true)) {
        return;
      }
      throw e;
    }
    if (!skipSnapshot) {
      ctx.note("final snapshot " + Text.quote(snapshot) + " of DB cluster " + Text.quote(id) + " is kept");
    }
  }

  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    return find().<Probe<Void>>map(c -> Probe.pending(String.valueOf(c.status()))).orElse(Probe.done());
  }
}
