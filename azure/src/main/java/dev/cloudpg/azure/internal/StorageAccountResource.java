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
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.StepContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backup storage account: zone-redundant StorageV2, HTTPS only, TLS 1.2, no public blob access. A destroy keeps
 * it, as Aurora keeps a final snapshot, unless {@code skipFinalSnapshot} is set.
 */
final class StorageAccountResource extends AzureResource {
  private final String name;

  StorageAccountResource(AzureContext azure, Stack stack, PostgresCluster db, List<ResourceKey> dependencies) {
    super(azure, stack, key("storage-account", db.name()), dependencies);
    this.name = Names.storageAccount(azure, stack, db);
  }

  private StorageAccountsClient client() {
    return azure.managers().storage().serviceClient().getStorageAccounts();
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("name", name, "sku", SkuName.STANDARD_ZRS.toString(), "kind", Kind.STORAGE_V2.toString());
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return ifFound(() -> client().getByResourceGroup(resourceGroup(), name)).map(a -> ownedTags(a.tags())
        ? Observed.owned(Map.of("name", a.name(), "sku", String.valueOf(a.sku().name()),
            "kind", String.valueOf(a.kind())), outputs(a))
        : Observed.foreign("storage account " + name + ", " + foreignBy(a.tags())));
  }

  private static Outputs outputs(StorageAccountInner a) {
    String blob = a.primaryEndpoints() == null ? null : a.primaryEndpoints().blob();
    return Outputs.of("id", a.id(), "name", a.name(),
        "blobEndpoint", blob != null ? blob : "https://" + a.name() + ".blob.core.windows.net/");
  }

  @Override
  public Outputs create(StepContext ctx) {
    client().beginCreate(resourceGroup(), name, new StorageAccountCreateParameters()
        .withSku(new Sku().withName(SkuName.STANDARD_ZRS)).withKind(Kind.STORAGE_V2).withLocation(azure.region())
        .withTags(ctx.ownershipTags()).withEnableHttpsTrafficOnly(true).withMinimumTlsVersion(MinimumTlsVersion.TLS1_2)
        .withAllowBlobPublicAccess(false));
    return outputs(awaitSucceeded(ctx, () -> client().getByResourceGroup(resourceGroup(), name),
        a -> a.provisioningState() == null ? null : a.provisioningState().toString()));
  }

  /** The backups are the database's last copy: kept unless the destroy says to skip the final snapshot. */
  @Override
  public void delete(StepContext ctx, Observed current) {
    if (!ctx.destroyOptions().skipFinalSnapshot()) {
      ctx.note("kept the backup storage account " + name + " with the database's base backups and WAL; destroy with "
          + "skipFinalSnapshot(true) to delete it too");
      return;
    }
    client().delete(resourceGroup(), name);
  }
}
