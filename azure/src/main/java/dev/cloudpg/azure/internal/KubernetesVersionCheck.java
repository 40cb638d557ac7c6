package dev.cloudpg.azure.internal;

import static dev.cloudpg.azure.internal.AzureErrors.ifFound;

import com.azure.resourcemanager.containerservice.fluent.ManagedClustersClient;
import com.azure.resourcemanager.containerservice.fluent.models.ManagedClusterInner;
import com.azure.resourcemanager.containerservice.models.KubernetesVersion;
import dev.cloudpg.InvalidSpecException;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.Stack;
import dev.cloudpg.Violation;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.StepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plan-time check of a Kubernetes version the user asked for: read in the plan's first wave (it depends on
 * nothing), it refuses, with an {@link InvalidSpecException}, a version AKS does not offer in the region (a
 * {@code 1.36} must be a listed minor, a {@code 1.36.2} one of its patches). Only while the cluster does not run that
 * version yet. It makes nothing: it always reads as the stack's and unchanged.
 */
final class KubernetesVersionCheck extends AzureResource {
  private final PostgresCluster db;
  private final String version;
  private final String cluster;

  KubernetesVersionCheck(AzureContext azure, Stack stack, PostgresCluster db, String version) {
    super(azure, stack, Keys.kubernetesVersionCheck(db), List.of());
    this.db = db;
    this.version = version;
    this.cluster = Names.aks(db);
  }

  private ManagedClustersClient client() {
    return azure.managers().containers().serviceClient().getManagedClusters();
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("kubernetesVersion", version);
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    Optional<ManagedClusterInner> running = ifFound(() -> client().getByResourceGroup(resourceGroup(), cluster));
    if (running.map(c -> !version.equals(c.kubernetesVersion())).orElse(true)) {
      List<String> offered = new ArrayList<>();
      boolean ok = false;
      for (KubernetesVersion k : Optional.ofNullable(client().listKubernetesVersions(azure.region()).values())
          .orElse(List.of())) {
        offered.add(k.version());
        ok |= version.equals(k.version()) || k.patchVersions() != null && k.patchVersions().containsKey(version);
      }
      if (!ok) {
        throw new InvalidSpecException(List.of(new Violation(db.path() + ".options.kubernetesVersion", version,
            "is not offered by AKS in " + azure.region() + " (it offers " + String.join(", ", offered)
                + "); leave it out for AKS's default")));
      }
    }
    return Optional.of(Observed.owned(desired(), Outputs.empty()));
  }

  @Override
  public Outputs create(StepContext ctx) {
    return Outputs.empty();
  }

  @Override
  public void delete(StepContext ctx, Observed current) {}
}
