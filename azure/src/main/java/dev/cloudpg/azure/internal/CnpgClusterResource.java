package dev.cloudpg.azure.internal;

import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.azure.AksOptions;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import dev.cloudpg.spi.WaitPolicy;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The CloudNativePG {@code Cluster}: its instances spread over the zones on the {@code postgres} pool, base backups
 * and WAL archived to the {@code backups} container as the database's managed identity (workload identity: the
 * cluster's service account carries the identity's client id, no storage key exists anywhere) through the Barman
 * Cloud Plugin ({@code spec.plugins}, the WAL archiver, with the stack's {@code ObjectStore}) or, when asked for
 * CloudNativePG before 1.32, the in-tree {@code spec.backup.barmanObjectStore}, an initial database
 * and owner, and, when the spec gives a password, the owner's credentials in a {@code basic-auth} secret. Ready when
 * every instance is.
 */
final class CnpgClusterResource extends KubernetesResource {
  static final ResourceDefinitionContext CLUSTERS = new ResourceDefinitionContext.Builder()
      .withGroup("postgresql.cnpg.io").withVersion("v1").withKind("Cluster").withPlural("clusters")
      .withNamespaced(true).build();
  /** Five instances of a few GiB start in minutes; large restores take longer. */
  static final WaitPolicy READY = WaitPolicy.of(java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(30),
      java.time.Duration.ofMinutes(45));

  static final Output<String> WRITER_ENDPOINT = Output.string("writerEndpoint");
  static final Output<String> READER_ENDPOINT = Output.string("readerEndpoint");
  static final Output<String> PORT = Output.string("port");
  static final Output<String> NAMESPACE = Output.string("namespace");
  /** The name of the secret CloudNativePG keeps the application user's credentials in. */
  static final Output<String> APP_SECRET = Output.string("appSecret");

  private final PostgresCluster db;
  private final AksOptions options;
  private final ResourceKey identity;
  private final ResourceKey container;

  CnpgClusterResource(AzureContext azure, Stack stack, PostgresCluster db, List<ResourceKey> dependencies,
      ResourceKey cluster, ResourceKey identity, ResourceKey container) {
    super(azure, stack, Keys.cnpgCluster(db), dependencies, cluster);
    this.db = db;
    this.options = Names.options(db);
    this.identity = identity;
    this.container = container;
  }

  @Override
  WaitPolicy ownWaitPolicy() {
    return READY;
  }

  /** The name of the Barman Cloud Plugin, as a Cluster's {@code spec.plugins} and a backup name it. */
  static final String BARMAN_PLUGIN = "barman-cloud.cloudnative-pg.io";

  /** The Barman Cloud Plugin's {@code ObjectStore} of a database's backups. */
  static String objectStoreName(PostgresCluster db) {
    return db.name() + "-backups";
  }

  /**
   * CloudNativePG's PostgreSQL image: the {@code standard} Debian trixie image with the plugin (it carries no Barman
   * tools, the plugin's sidecar does), the older {@code system} image, which has them, for in-tree backups.
   */
  private String image() {
    return "ghcr.io/cloudnative-pg/postgresql:" + db.version() + (options.inTreeBackup() ? "" : "-standard-trixie");
  }

  private String backupMethod() {
    return options.inTreeBackup() ? "in-tree" : "plugin";
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("instances", String.valueOf(db.instances()), "image", image(), "storage", options.storageSize(),
        "database", db.databaseName(), "owner", db.masterUsername(), "backup", backupMethod());
  }

  @Override
  public Set<String> updatable() {
    return Set.of("instances", "image", "storage", "backup");
  }

  private Optional<GenericKubernetesResource> get(KubernetesClient client) {
    return Optional.ofNullable(client.genericKubernetesResources(CLUSTERS).inNamespace(Names.DATABASE_NAMESPACE)
        .withName(db.name()).get());
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return get(client(ctx)).map(c -> {
      if (!ownedLabels(c)) {
        return Observed.foreign(foreignObject("CNPG cluster", db.name()));
      }
      Map<String, Object> spec = map(c.getAdditionalProperties().get("spec"));
      Map<String, Object> initdb = map(map(spec.get("bootstrap")).get("initdb"));
      return Observed.owned(Map.of("instances", String.valueOf(spec.get("instances")),
          "image", String.valueOf(spec.get("imageName")), "storage", String.valueOf(map(spec.get("storage"))
              .get("size")), "database", String.valueOf(initdb.get("database")),
          "owner", String.valueOf(initdb.get("owner")), "backup", observedBackup(spec)), outputs());
    });
  }

  /** {@code plugin} when the Barman Cloud Plugin archives WAL, {@code in-tree} for barmanObjectStore, else none. */
  private static String observedBackup(Map<String, Object> spec) {
    Object plugins = spec.get("plugins");
    if (plugins instanceof List && ((List<?>) plugins).stream().anyMatch(p -> BARMAN_PLUGIN.equals(map(p)
        .get("name")))) {
      return "plugin";
    }
    return map(spec.get("backup")).containsKey("barmanObjectStore") ? "in-tree" : "none";
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map ? (Map<String, Object>) o : Map.of();
  }

  private Outputs outputs() {
    String service = db.name() + "-%s." + Names.DATABASE_NAMESPACE + ".svc.cluster.local";
    return Outputs.builder().put(WRITER_ENDPOINT, String.format(service, "rw"))
        .put(READER_ENDPOINT, String.format(service, "ro")).put(PORT, "5432").put(NAMESPACE, Names.DATABASE_NAMESPACE)
        .put(APP_SECRET, db.name() + "-app").build();
  }

  private String ownerSecret() {
    return db.name() + "-owner";
  }

  @Override
  public Outputs create(StepContext ctx) {
    KubernetesClient client = client(ctx);
    Map<String, Object> initdb = new LinkedHashMap<>();
    initdb.put("database", db.databaseName());
    initdb.put("owner", db.masterUsername());
    db.masterPassword().ifPresent(password -> {
      Secret secret = labelled(new SecretBuilder().withNewMetadata().withName(ownerSecret())
          .withNamespace(Names.DATABASE_NAMESPACE).endMetadata().withType("kubernetes.io/basic-auth")
          .addToStringData("username", db.masterUsername()).addToStringData("password", password.reveal()).build());
      client.resource(secret).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
      initdb.put("secret", Map.of("name", ownerSecret()));
    });
    String clientId = ctx.get(identity, IdentityResource.CLIENT_ID);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("instances", db.instances());
    spec.put("imageName", image());
    spec.put("storage", Map.of("size", options.storageSize()));
    spec.put("affinity", Map.of("nodeSelector", AgentPoolResource.LABELS,
        "topologyKey", "topology.kubernetes.io/zone", "enablePodAntiAffinity", true,
        "podAntiAffinityType", "preferred"));
    spec.put("bootstrap", Map.of("initdb", initdb));
    spec.put("inheritedMetadata", Map.of("labels", Map.of("azure.workload.identity/use", "true")));
    spec.put("serviceAccountTemplate", Map.of("metadata", Map.of(
        "annotations", Map.of("azure.workload.identity/client-id", clientId),
        "labels", Map.of("azure.workload.identity/use", "true"))));
    if (options.inTreeBackup()) {
      spec.put("backup", Map.of("retentionPolicy", db.backupRetentionDays() + "d", "barmanObjectStore", Map.of(
          "destinationPath", ctx.get(container, BlobContainerResource.URL),
          "azureCredentials", Map.of("inheritFromAzureAD", true))));
    } else {
      spec.put("plugins", List.of(Map.of("name", BARMAN_PLUGIN, "isWALArchiver", true,
          "parameters", Map.of("barmanObjectName", objectStoreName(db)))));
    }
    GenericKubernetesResource cluster = labelled(new GenericKubernetesResourceBuilder()
        .withApiVersion("postgresql.cnpg.io/v1").withKind("Cluster").withNewMetadata().withName(db.name())
        .withNamespace(Names.DATABASE_NAMESPACE).endMetadata().addToAdditionalProperties("spec", spec).build());
    client.genericKubernetesResources(CLUSTERS).inNamespace(Names.DATABASE_NAMESPACE).resource(cluster)
        .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    return outputs();
  }

  /** Ready once CloudNativePG reports every instance ready; its phase says how far it got until then. */
  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    Map<String, Object> status = get(client(ctx)).map(c -> map(c.getAdditionalProperties().get("status")))
        .orElse(Map.of());
    Object ready = status.get("readyInstances");
    String phase = Text.escape(String.valueOf(status.getOrDefault("phase", "Setting up primary")));
    return ready instanceof Number && ((Number) ready).intValue() >= db.instances() ? Probe.done(outputs())
        : Probe.pending(phase + " (" + (ready instanceof Number ? ready : 0) + "/" + db.instances() + " ready)");
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    if (leftToCluster(ctx)) {
      return;
    }
    KubernetesClient client = client(ctx);
    client.genericKubernetesResources(CLUSTERS).inNamespace(Names.DATABASE_NAMESPACE).withName(db.name()).delete();
    client.secrets().inNamespace(Names.DATABASE_NAMESPACE).withName(ownerSecret()).delete();
  }

  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    if (goesWithCluster(ctx)) {
      return Probe.done();
    }
    return gone(get(client(ctx)), c -> "still there");
  }
}
