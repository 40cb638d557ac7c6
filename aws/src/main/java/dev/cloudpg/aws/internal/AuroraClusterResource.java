package dev.cloudpg.aws.internal;

import dev.cloudpg.ConflictException;
import dev.cloudpg.DeletionProtectedException;
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
import software.amazon.awssdk.services.rds.model.RdsException;

/**
 * An Aurora PostgreSQL DB cluster: encrypted storage, the master password managed in Secrets Manager unless the spec
 * gives one, backups, deletion protection. Its instances are separate resources.
 */
final class AuroraClusterResource extends AwsResource {
  static final String ENGINE = "aurora-postgresql";
  private static final DateTimeFormatter SNAPSHOT_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final PostgresCluster db;
  private final ResourceKey subnetGroup;
  private final ResourceKey securityGroup;
  private final String id;
  private final String engineVersion;

  AuroraClusterResource(AwsContext aws, Stack stack, PostgresCluster db, ResourceKey subnetGroup,
      ResourceKey securityGroup) {
    super(aws, stack, key("aurora-cluster", db.name()), List.of(subnetGroup, securityGroup));
    this.db = db;
    this.subnetGroup = subnetGroup;
    this.securityGroup = securityGroup;
    this.id = Names.cluster(db);
    this.engineVersion = db.option(AuroraOptions.class).flatMap(AuroraOptions::engineVersion).orElse(db.version());
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
    return Set.of("backupRetentionDays", "deletionProtection");
  }

  private static String passwordMode(boolean managed) {
    return managed ? "managed in Secrets Manager" : "given";
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return find().map(this::observe);
  }

  private Optional<DBCluster> find() {
    try {
      return aws.rds().describeDBClusters(b -> b.dbClusterIdentifier(id)).dbClusters().stream().findFirst();
    } catch (DbClusterNotFoundException e) {
      return Optional.empty();
    }
  }

  private Observed observe(DBCluster c) {
    Map<String, String> tags = Tags.rds(c.tagList());
    if (!Tags.ownedBy(tags, stack.name())) {
      return Observed.foreign("DB cluster " + id + " is " + Tags.owner(tags));
    }
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("identifier", c.dbClusterIdentifier());
    properties.put("engine", c.engine());
    properties.put("engineVersion", comparableVersion(c.engineVersion()));
    properties.put("databaseName", String.valueOf(c.databaseName()));
    properties.put("masterUsername", c.masterUsername());
    properties.put("password", passwordMode(c.masterUserSecret() != null));
    properties.put("port", String.valueOf(c.port()));
    properties.put("storageEncrypted", String.valueOf(Boolean.TRUE.equals(c.storageEncrypted())));
    properties.put("backupRetentionDays", String.valueOf(c.backupRetentionPeriod()));
    properties.put("deletionProtection", String.valueOf(Boolean.TRUE.equals(c.deletionProtection())));
    return Observed.owned(properties, outputs(c)).withDeletionProtection(Boolean.TRUE.equals(c.deletionProtection()));
  }

  /** The running version as precisely as the spec asks: {@code 16} when it asks for a major version only. */
  private String comparableVersion(String actual) {
    if (actual == null) {
      return "";
    }
    int parts = engineVersion.split("\\.").length;
    String[] actualParts = actual.split("\\.");
    return String.join(".", List.of(actualParts).subList(0, Math.min(parts, actualParts.length)));
  }

  private static Outputs outputs(DBCluster c) {
    return Outputs.builder().put("clusterId", c.dbClusterIdentifier()).put("arn", c.dbClusterArn())
        .put("resourceId", c.dbClusterResourceId()).put("writerEndpoint", c.endpoint())
        .put("readerEndpoint", c.readerEndpoint()).put("port", c.port()).put("engineVersion", c.engineVersion())
        .put("secretArn", c.masterUserSecret() == null ? null : c.masterUserSecret().secretArn())
        .put("status", c.status()).build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    AuroraOptions options = db.option(AuroraOptions.class).orElse(AuroraOptions.defaults());
    CreateDbClusterRequest.Builder request = CreateDbClusterRequest.builder().dbClusterIdentifier(id)
        .engine(ENGINE).engineVersion(engineVersion).databaseName(db.databaseName())
        .masterUsername(db.masterUsername()).port(db.port()).storageEncrypted(true)
        .backupRetentionPeriod(db.backupRetentionDays()).deletionProtection(db.deletionProtection())
        .dbSubnetGroupName(ctx.outputsOf(subnetGroup).string("name"))
        .vpcSecurityGroupIds(ctx.outputsOf(securityGroup).string("securityGroupId"))
        .copyTagsToSnapshot(true)
        .tags(Tags.toRds(tags(ctx, null, db.tags())));
    options.kmsKeyId().ifPresent(request::kmsKeyId);
    if (db.masterPassword().isPresent()) {
      request.masterUserPassword(db.masterPassword().get().reveal());
    } else {
      request.manageMasterUserPassword(true);
    }
    try {
      aws.rds().createDBCluster(request.build());
    } catch (DbClusterAlreadyExistsException e) {
      adoptOrConflict();
    } catch (RdsException e) {
      // moto answers a duplicate CreateDBCluster with a snapshot fault instead of DBClusterAlreadyExistsFault
      if (!AwsErrors.code(e).equals("DBClusterSnapshotAlreadyExistsFault") || find().isEmpty()) {
        throw e;
      }
      adoptOrConflict();
    }
    return awaitAvailable(ctx);
  }

  private void adoptOrConflict() {
    Optional<Observed> existing = find().map(this::observe);
    if (existing.isEmpty() || !existing.get().owned()) {
      throw new ConflictException(key() + ": DB cluster " + id + " exists and is not owned by stack "
          + stack.name() + "; choose another name (AuroraOptions.clusterIdentifier)");
    }
  }

  private Outputs awaitAvailable(StepContext ctx) {
    return ctx.await("available", () -> {
      Optional<DBCluster> c = find();
      if (c.isEmpty()) {
        return Probe.pending("not yet visible");
      }
      String status = c.get().status();
      if ("available".equals(status)) {
        return Probe.done(outputs(c.get()));
      }
      if (status != null && (status.equals("failed") || status.startsWith("incompatible") || status.equals(
          "inaccessible-encryption-credentials"))) {
        return Probe.failed("DB cluster " + id + " is " + status + "; see its events in the RDS console");
      }
      return Probe.pending(status);
    });
  }

  @Override
  public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    aws.rds().modifyDBCluster(b -> {
      b.dbClusterIdentifier(id).applyImmediately(true);
      if (changes.containsKey("backupRetentionDays")) {
        b.backupRetentionPeriod(Integer.parseInt(changes.get("backupRetentionDays")));
      }
      if (changes.containsKey("deletionProtection")) {
        b.deletionProtection(Boolean.parseBoolean(changes.get("deletionProtection")));
      }
    });
    return awaitAvailable(ctx);
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    if (current.deletionProtected()) {
      if (!ctx.destroyOptions().overrideDeletionProtection()) {
        throw new DeletionProtectedException(List.of(key()));
      }
      aws.rds().modifyDBCluster(b -> b.dbClusterIdentifier(id).deletionProtection(false).applyImmediately(true));
      ctx.note("turned deletion protection off on DB cluster " + id);
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
      if (!skipSnapshot) {
        ctx.note("final snapshot " + snapshot + " of DB cluster " + id + " is kept");
      }
    } catch (DbClusterNotFoundException e) {
      return;
    }
    ctx.await("deleted", () -> find().<Probe<Boolean>>map(c -> Probe.pending(c.status()))
        .orElse(Probe.done(true)));
  }
}
