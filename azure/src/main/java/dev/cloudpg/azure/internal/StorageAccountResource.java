package dev.cloudpg.azure.internal;

import static dev.cloudpg.azure.internal.AzureErrors.ifFound;

import com.azure.resourcemanager.storage.fluent.StorageAccountsClient;
import com.azure.resourcemanager.storage.fluent.models.StorageAccountInner;
import com.azure.resourcemanager.storage.models.Kind;
import com.azure.resourcemanager.storage.models.MinimumTlsVersion;
import com.azure.resourcemanager.storage.models.Sku;
import com.azure.resourcemanager.storage.models.SkuName;
import com.azure.resourcemanager.storage.models.StorageAccountCreateParameters;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backup storage account: zone-redundant StorageV2, HTTPS only, TLS 1.2, no public blob access. A destroy keeps
 * it, as Aurora keeps a final snapshot, unless {@code skipFinalSnapshot} is set. ARM creates it asynchronously and
 * deletes it at once.
 */
final class StorageAccountResource extends AzureResource {
  static final Output<String> ID = Output.string("id");
  static final Output<String> NAME = Output.string("name");
  static final Output<String> BLOB_ENDPOINT = Output.string("blobEndpoint");

  private final String name;

  StorageAccountResource(AzureContext azure, Stack stack, PostgresCluster db, List<ResourceKey> dependencies) {
    super(azure, stack, Keys.storageAccount(db), dependencies, db.tags());
    this.name = Names.storageAccount(azure, stack, db);
  }

  private StorageAccountsClient client() {
    return azure.managers().storage().serviceClient().getStorageAccounts();
  }

  private Optional<StorageAccountInner> get() {
    return ifFound(() -> client().getByResourceGroup(resourceGroup(), name));
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("name", name, "sku", SkuName.STANDARD_ZRS.toString(), "kind", Kind.STORAGE_V2.toString());
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return get().map(a -> ownedTags(a.tags())
        ? Observed.owned(Map.of("name", a.name(), "sku", String.valueOf(a.sku().name()),
            "kind", String.valueOf(a.kind())), outputs(a))
        : Observed.foreign(foreign("storage account", name, a.tags())));
  }

  private static Outputs outputs(StorageAccountInner a) {
    String blob = a.primaryEndpoints() == null ? null : a.primaryEndpoints().blob();
    return Outputs.builder().put(ID, a.id()).put(NAME, a.name())
        .put(BLOB_ENDPOINT, blob != null ? blob : "https://" + a.name() + ".blob.core.windows.net/").build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    client().beginCreate(resourceGroup(), name, new StorageAccountCreateParameters()
        .withSku(new Sku().withName(SkuName.STANDARD_ZRS)).withKind(Kind.STORAGE_V2).withLocation(azure.region())
        .withTags(tags(ctx)).withEnableHttpsTrafficOnly(true).withMinimumTlsVersion(MinimumTlsVersion.TLS1_2)
        .withAllowBlobPublicAccess(false));
    return Outputs.builder().put(NAME, name).build();
  }

  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    return provisioned(get(), a -> a.provisioningState() == null ? null : a.provisioningState().toString(),
        StorageAccountResource::outputs, "/subscriptions/" + azure.subscription() + "/resourceGroups/"
            + resourceGroup() + "/providers/Microsoft.Storage/storageAccounts/" + name);
  }

  /** The backups are the database's last copy: kept unless the destroy says to skip the final snapshot. */
  @Override
  public void delete(StepContext ctx, Observed current) {
    if (!ctx.destroyOptions().skipFinalSnapshot()) {
      ctx.note("kept the backup storage account " + Text.quote(name) + " with the database's base backups and WAL; "
          + "destroy with skipFinalSnapshot(true) to delete it too");
      return;
    }
    client().delete(resourceGroup(), name);
  }
}
