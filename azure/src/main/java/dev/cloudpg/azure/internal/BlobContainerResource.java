package dev.cloudpg.azure.internal;

import static dev.cloudpg.azure.internal.AzureErrors.ifFound;

import com.azure.resourcemanager.storage.fluent.BlobContainersClient;
import com.azure.resourcemanager.storage.fluent.models.BlobContainerInner;
import com.azure.resourcemanager.storage.models.PublicAccess;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.StepContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code backups} container, made through ARM (the management plane, synchronously): no data-plane role is
 * needed, and storage firewall rules cannot refuse it.
 */
final class BlobContainerResource extends AzureResource {
  static final Output<String> NAME = Output.string("name");
  /** The container's URL, where the backups go. */
  static final Output<String> URL = Output.string("url");

  private final ResourceKey account;

  BlobContainerResource(AzureContext azure, Stack stack, PostgresCluster db, ResourceKey account) {
    super(azure, stack, Keys.blobContainer(db), List.of(account));
    this.account = account;
  }

  private BlobContainersClient client() {
    return azure.managers().storage().serviceClient().getBlobContainers();
  }

  private String accountName(StepContext ctx) {
    return ctx.get(account, StorageAccountResource.NAME);
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("name", Names.BACKUP_CONTAINER, "publicAccess", "None");
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return ifFound(() -> client().get(resourceGroup(), accountName(ctx), Names.BACKUP_CONTAINER))
        .map(c -> Observed.owned(Map.of("name", c.name(), "publicAccess", String.valueOf(c.publicAccess())),
            outputs(ctx)));
  }

  private Outputs outputs(StepContext ctx) {
    return Outputs.builder().put(NAME, Names.BACKUP_CONTAINER)
        .put(URL, ctx.get(account, StorageAccountResource.BLOB_ENDPOINT) + Names.BACKUP_CONTAINER).build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    client().create(resourceGroup(), accountName(ctx), Names.BACKUP_CONTAINER,
        new BlobContainerInner().withPublicAccess(PublicAccess.NONE));
    return outputs(ctx);
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    if (!ctx.destroyOptions().skipFinalSnapshot()) {
      return;
    }
    client().delete(resourceGroup(), accountName(ctx), Names.BACKUP_CONTAINER);
  }
}
