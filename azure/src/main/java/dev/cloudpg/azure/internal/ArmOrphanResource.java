package dev.cloudpg.azure.internal;

import static dev.cloudpg.azure.internal.AzureErrors.ifFound;

import com.azure.resourcemanager.resources.fluent.ResourcesClient;
import com.azure.resourcemanager.resources.fluent.models.GenericResourceInner;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Discovered;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import dev.cloudpg.spi.WaitPolicy;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What discovery found under a key the spec no longer names (a removed peering, a removed database's pieces), or an
 * extra duplicate: read and deleted by the id discovery found, through ARM's generic resource API. Deleting needs
 * the type's api-version, which it knows for the types the stack makes. A storage account (backups) is kept unless
 * the destroy says skipFinalSnapshot, as the spec's own one is; an AKS cluster tagged with deletion protection is
 * protected. Immutable and thread-safe.
 */
final class ArmOrphanResource extends AzureResource {
  private static final Map<String, String> API_VERSIONS = Map.ofEntries(
      Map.entry("microsoft.resources/resourcegroups", "2021-04-01"),
      Map.entry("microsoft.network", "2023-09-01"),
      Map.entry("microsoft.managedidentity", "2023-01-31"),
      Map.entry("microsoft.storage", "2023-01-01"),
      Map.entry("microsoft.containerservice", "2024-02-01"),
      Map.entry("microsoft.dashboard", "2023-09-01"),
      Map.entry("microsoft.monitor", "2023-04-03"),
      Map.entry("microsoft.operationalinsights", "2023-09-01"),
      Map.entry("microsoft.insights", "2022-06-01"),
      Map.entry("microsoft.authorization", "2022-04-01"));

  private final Discovered found;

  ArmOrphanResource(AzureContext azure, Stack stack, Discovered found) {
    super(azure, stack, found.key(), hangsOff(found.key()));
    this.found = found;
  }

  /**
   * What a removed database's piece hangs off, by its key, as the graph made it: deleted first, the pieces it needs
   * after (the cluster before its identity, a rule before its workspace).
   */
  static List<ResourceKey> hangsOff(ResourceKey key) {
    String n = key.name();
    String db = n.endsWith("-insights") ? n.substring(0, n.length() - "-insights".length()) : n;
    return switch (key.type()) {
      case "aks-cluster" -> List.of(ResourceKey.of(Keys.PROVIDER, "managed-identity", n),
          ResourceKey.of(Keys.PROVIDER, "log-analytics", n));
      case "public-ip" -> List.of(ResourceKey.of(Keys.PROVIDER, "aks-cluster", n));
      case "grafana" -> List.of(ResourceKey.of(Keys.PROVIDER, "monitor-workspace", n));
      // <db>-insights is database db's insights rule, or the Prometheus rule of a database named so: either way it
      // goes before what it may hang off, and only what is there counts
      case "data-collection-rule" -> n.endsWith("-insights")
          ? List.of(ResourceKey.of(Keys.PROVIDER, "log-analytics", db),
              ResourceKey.of(Keys.PROVIDER, "data-collection-endpoint", n),
              ResourceKey.of(Keys.PROVIDER, "monitor-workspace", n), ResourceKey.of(Keys.PROVIDER, "aks-cluster", n))
          : List.of(ResourceKey.of(Keys.PROVIDER, "data-collection-endpoint", n),
              ResourceKey.of(Keys.PROVIDER, "monitor-workspace", n), ResourceKey.of(Keys.PROVIDER, "aks-cluster", n));
      default -> List.of();
    };
  }

  /** The api-version ARM wants for a resource id, by its type's namespace. */
  static String apiVersion(String id) {
    String lower = id.toLowerCase(Locale.ROOT);
    if (lower.matches("^/subscriptions/[^/]+/resourcegroups/[^/]+$")) {
      return API_VERSIONS.get("microsoft.resources/resourcegroups");
    }
    int p = lower.lastIndexOf("/providers/");
    String namespace = p < 0 ? "" : lower.substring(p + 11).split("/")[0];
    String version = API_VERSIONS.get(namespace);
    if (version == null) {
      throw new IllegalStateException("cannot delete " + Text.quote(id) + ": no api-version known for its type");
    }
    return version;
  }

  private ResourcesClient client() {
    return azure.managers().resources().serviceClient().getResources();
  }

  private String id(StepContext ctx) {
    return ctx.discovered().orElse(found).id();
  }

  private Optional<GenericResourceInner> get(String id) {
    return ifFound(() -> client().getById(id, apiVersion(id)));
  }

  @Override
  WaitPolicy ownWaitPolicy() {
    return SLOW;
  }

  @Override
  public Map<String, String> desired() {
    return Map.of();
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    // A removed database's AKS cluster keeps the protection it was given: pruning it is refused while it is on.
    return get(id(ctx)).map(r -> Observed.owned(Map.of(), Outputs.builder().build()).withDeletionProtection(
        r.tags() != null && "true".equals(r.tags().get(AksClusterResource.PROTECTION_TAG))));
  }

  @Override
  public Outputs create(StepContext ctx) {
    throw new IllegalStateException(key() + " is only ever deleted");
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    String id = id(ctx);
    if (isStorageAccount(id) && !ctx.destroyOptions().skipFinalSnapshot()) {
      ctx.note("kept the backup storage account " + Text.quote(id) + "; destroy with skipFinalSnapshot(true) to "
          + "delete it too");
      return;
    }
    client().beginDeleteById(id, apiVersion(id));
  }

  static boolean isStorageAccount(String id) {
    // The account itself, not what lives under it or at its scope (containers, role assignments).
    return id.toLowerCase(Locale.ROOT).matches(".*/providers/microsoft\\.storage/storageaccounts/[^/]+");
  }

  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    String id = id(ctx);
    if (isStorageAccount(id) && !ctx.destroyOptions().skipFinalSnapshot()) {
      return Probe.done();
    }
    return gone(get(id), r -> null);
  }
}
