package dev.cloudpg.azure.internal;

import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Discovered;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A CloudNativePG object (a {@code Cluster}, {@code ScheduledBackup} or {@code ObjectStore}) in a database's AKS
 * cluster that carries the stack's label and a key the spec no longer names (an object store and its scheduled backup
 * once backups go in-tree, say): found by label selector, read and deleted by the id discovery gave it,
 * {@code k8s:<resource group>/<AKS cluster>/<plural>/<namespace>/<name>}. Immutable and thread-safe.
 */
final class KubernetesOrphanResource extends AzureResource {
  private static final String PREFIX = "k8s:";
  private static final List<ResourceDefinitionContext> KINDS = List.of(CnpgClusterResource.CLUSTERS,
      CustomObjectResource.SCHEDULED_BACKUPS, CustomObjectResource.OBJECT_STORES);

  private final String[] id;
  private final ResourceDefinitionContext kind;

  KubernetesOrphanResource(AzureContext azure, Stack stack, Discovered found) {
    super(azure, stack, found.key(), List.of());
    this.id = found.id().substring(PREFIX.length()).split("/");
    this.kind = KINDS.stream().filter(k -> k.getPlural().equals(id[2])).findFirst().orElseThrow();
  }

  static boolean is(Discovered found) {
    return found.id().startsWith(PREFIX);
  }

  /**
   * The stack's labelled CloudNativePG objects in one AKS cluster, one list per kind; none while the cluster cannot be
   * reached or a kind is not served yet (the operator not installed): they are found by a later plan.
   */
  static List<Discovered> discover(AzureContext azure, Stack stack, String group, String aks) {
    List<Discovered> found = new ArrayList<>();
    KubernetesClient client;
    try {
      client = azure.kubernetes().client(group, aks);
    } catch (RuntimeException e) {
      return found;
    }
    for (ResourceDefinitionContext k : KINDS) {
      try {
        for (GenericKubernetesResource o : client.genericKubernetesResources(k).inAnyNamespace()
            .withLabel(KubernetesResource.STACK_LABEL, stack.name()).list().getItems()) {
          String key = Optional.ofNullable(o.getMetadata().getAnnotations()).orElse(Map.of())
              .get(KubernetesResource.KEY_ANNOTATION);
          if (key != null) {
            found.add(Discovered.of(ResourceKey.parse(key), PREFIX + group + "/" + aks + "/" + k.getPlural() + "/"
                + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(), k.getKind() + " "
                + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(), Set.of()));
          }
        }
      } catch (KubernetesClientException e) {
        // The kind is not served (no CRD yet): nothing of it to find.
      }
    }
    return found;
  }

  private Optional<GenericKubernetesResource> get() {
    return Optional.ofNullable(azure.kubernetes().client(id[0], id[1]).genericKubernetesResources(kind)
        .inNamespace(id[3]).withName(id[4]).get());
  }

  @Override
  public Map<String, String> desired() {
    return Map.of();
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return get().map(o -> Observed.owned(Map.of(), Outputs.empty()));
  }

  @Override
  public Outputs create(StepContext ctx) {
    throw new IllegalStateException(key() + " is only ever deleted");
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    azure.kubernetes().client(id[0], id[1]).genericKubernetesResources(kind).inNamespace(id[3]).withName(id[4])
        .delete();
  }

  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    return gone(get(), o -> "still there");
  }
}
