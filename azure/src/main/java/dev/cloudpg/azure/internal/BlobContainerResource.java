package dev.cloudpg.azure.internal;

import static dev.cloudpg.azure.internal.AzureErrors.ifFound;

import com.azure.resourcemanager.storage.fluent.BlobContainersClient;
import com.azure.resourcemanager.storage.fluent.models.BlobContainerInner;
import com.azure.resourcemanager.storage.models.PublicAccess;
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
 * The {@code backups} container, made through ARM (the management plane): no data-plane role is needed, and storage
 * firewall rules cannot refuse it.
 */
final class BlobContainerResource extends AzureResource {
  private final ResourceKey account;

  BlobContainerResource(AzureContext azure, Stack stack, PostgresCluster db, ResourceKey account) {
    super(azure, stack, key("blob-container", db.name()), List.of(account));
    this.account = account;
  }

  private BlobContainersClient client() {
    return azure.managers().storage().serviceClient().getBlobContainers();
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("name", Names.BACKUP_CONTAINER, "publicAccess", "None");
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    String accountName = ctx.outputsOf(account).string("name");
    return ifFound(() -> client().get(resourceGroup(), accountName, Names.BACKUP_CONTAINER))
        .map(c -> Observed.owned(Map.of("name", c.name(), "publicAccess", String.valueOf(c.publicAccess())),
            outputs(ctx)));
  }

  private Outputs outputs(StepContext ctx) {
    return Outputs.of("name", Names.BACKUP_CONTAINER,
        "url", ctx.outputsOf(account).string("blobEndpoint") + Names.BACKUP_CONTAINER);
  }

  @Override
  public Outputs create(StepContext ctx) {
    String accountName = ctx.outputsOf(account).string("name");
    client().create(resourceGroup(), accountName, Names.BACKUP_CONTAINER,
        new BlobContainerInner().withPublicAccess(PublicAccess.NONE));
    return outputs(ctx);
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    if (!ctx.destroyOptions().skipFinalSnapshot()) {
      return;
    }
    client().delete(resourceGroup(), ctx.outputsOf(account).string("name"), Names.BACKUP_CONTAINER);
  }
}
