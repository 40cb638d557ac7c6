package dev.cloudpg.azure.internal;

import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.azure.AksOptions;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
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
 * cluster's service account carries the identity's client id, no storage key exists anywhere), an initial database
 * and owner, and, when the spec gives a password, the owner's credentials in a {@code basic-auth} secret. Done when
 * every instance is ready.
 */
final class CnpgClusterResource extends KubernetesResource {
  static final ResourceDefinitionContext CLUSTERS = new ResourceDefinitionContext.Builder()
      .withGroup("postgresql.cnpg.io").withVersion("v1").withKind("Cluster").withPlural("clusters")
      .withNamespaced(true).build();
  /** Five instances of a few GiB start in minutes; large restores take longer. */
  static final WaitPolicy READY = WaitPolicy.of(java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(30),
      java.time.Duration.ofMinutes(45));

  private final PostgresCluster db;
  private final AksOptions options;
  private final ResourceKey identity;
  private final ResourceKey container;

  CnpgClusterResource(AzureContext azure, Stack stack, PostgresCluster db, List<ResourceKey> dependencies,
      ResourceKey cluster, ResourceKey identity, ResourceKey container) {
    super(azure, stack, key("cnpg-cluster", db.name()), dependencies, cluster);
    this.db = db;
    this.options = Names.options(db);
    this.identity = identity;
    this.container = container;
  }

  @Override
  WaitPolicy ownWaitPolicy() {
    return READY;
  }

  private String image() {
    return "ghcr.io/cloudnative-pg/postgresql:" + db.version();
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("instances", String.valueOf(db.instances()), "image", image(), "storage", options.storageSize(),
        "database", db.databaseName(), "owner", db.masterUsername());
  }

  @Override
  public Set<String> updatable() {
    return Set.of("instances", "image", "storage");
  }

  private GenericKubernetesResource get(KubernetesClient client) {
    return client.genericKubernetesResources(CLUSTERS).inNamespace(Names.DATABASE_NAMESPACE).withName(db.name())
        .get();
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return Optional.ofNullable(get(client(ctx))).map(c -> {
      if (!ownedLabels(c)) {
        return Observed.foreign("CNPG cluster " + db.name() + ", not labelled " + STACK_LABEL + "=" + stack.name());
      }
      Map<String, Object> spec = map(c.getAdditionalProperties().get("spec"));
      Map<String, Object> initdb = map(map(spec.get("bootstrap")).get("initdb"));
      return Observed.owned(Map.of("instances", String.valueOf(spec.get("instances")),
          "image", String.valueOf(spec.get("imageName")), "storage", String.valueOf(map(spec.get("storage"))
              .get("size")), "database", String.valueOf(initdb.get("database")),
          "owner", String.valueOf(initdb.get("owner"))), outputs());
    });
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map ? (Map<String, Object>) o : Map.of();
  }

  private Outputs outputs() {
    String service = db.name() + "-%s." + Names.DATABASE_NAMESPACE + ".svc.cluster.local";
    return Outputs.of("writerEndpoint", String.format(service, "rw"), "readerEndpoint", String.format(service, "ro"),
        "port", "5432", "namespace", Names.DATABASE_NAMESPACE, "appSecret", db.name() + "-app");
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
    String clientId = ctx.outputsOf(identity).string("clientId");
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
    spec.put("backup", Map.of("retentionPolicy", db.backupRetentionDays() + "d", "barmanObjectStore", Map.of(
        "destinationPath", ctx.outputsOf(container).string("url"),
        "azureCredentials", Map.of("inheritFromAzureAD", true))));
    GenericKubernetesResource cluster = labelled(new GenericKubernetesResourceBuilder()
        .withApiVersion("postgresql.cnpg.io/v1").withKind("Cluster").withNewMetadata().withName(db.name())
        .withNamespace(Names.DATABASE_NAMESPACE).endMetadata().addToAdditionalProperties("spec", spec).build());
    client.genericKubernetesResources(CLUSTERS).inNamespace(Names.DATABASE_NAMESPACE).resource(cluster)
        .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    ctx.await("all instances ready", () -> {
      GenericKubernetesResource current = get(client);
      Map<String, Object> status = current == null ? Map.of() : map(current.getAdditionalProperties().get("status"));
      Object ready = status.get("readyInstances");
      String phase = String.valueOf(status.getOrDefault("phase", "Setting up primary"));
      return ready instanceof Number && ((Number) ready).intValue() >= db.instances() ? Probe.done(Boolean.TRUE)
          : Probe.pending(phase + " (" + (ready == null ? 0 : ready) + "/" + db.instances() + " ready)");
    });
    return outputs();
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    KubernetesClient client = client(ctx);
    client.genericKubernetesResources(CLUSTERS).inNamespace(Names.DATABASE_NAMESPACE).withName(db.name()).delete();
    client.secrets().inNamespace(Names.DATABASE_NAMESPACE).withName(ownerSecret()).delete();
    awaitGone(ctx, () -> get(client));
  }
}
