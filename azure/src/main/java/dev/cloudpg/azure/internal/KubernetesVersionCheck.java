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
 * version yet; and, against a running cluster, a step of more than one minor up, or any down, which AKS refuses.
 * It makes nothing: it always reads as the stack's and unchanged.
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
    running.map(ManagedClusterInner::kubernetesVersion).ifPresent(this::checkStep);
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

  /**
   * AKS upgrades one minor at a time and never downgrades: from 1.35, 1.36 is the next step, 1.37 is refused with
   * the way there (apply 1.36 first), and 1.34 is refused.
   */
  private void checkStep(String runningVersion) {
    int[] from = minor(runningVersion);
    int[] to = minor(version);
    if (from == null || to == null || from[0] != to[0]) {
      return;
    }
    String path = db.path() + ".options.kubernetesVersion";
    String running = from[0] + "." + from[1];
    if (to[1] < from[1]) {
      throw new InvalidSpecException(List.of(new Violation(path, version, "is older than the " + running
          + " the AKS cluster runs, and AKS does not downgrade: ask for " + running + " or newer")));
    }
    if (to[1] > from[1] + 1) {
      throw new InvalidSpecException(List.of(new Violation(path, version, "is more than one minor above the "
          + running + " the AKS cluster runs, and AKS upgrades one minor at a time: apply " + from[0] + "."
          + (from[1] + 1) + " first, then " + version)));
    }
  }

  /** Major and minor of {@code 1.36} or {@code 1.36.2}; null when it is neither. */
  private static int[] minor(String v) {
    String[] parts = v == null ? new String[0] : v.split("\\.");
    try {
      return parts.length < 2 ? null : new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public Outputs create(StepContext ctx) {
    return Outputs.empty();
  }

  @Override
  public void delete(StepContext ctx, Observed current) {}
}
