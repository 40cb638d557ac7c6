package dev.cloudpg.azure.internal;

import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.StepContext;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A Kubernetes namespace of the stack: {@code cnpg-system} for the operator, {@code cnpg-database} for PostgreSQL. */
final class NamespaceResource extends KubernetesResource {
  private final String name;

  NamespaceResource(AzureContext azure, Stack stack, String database, String name, ResourceKey cluster) {
    super(azure, stack, key("k8s-namespace", database + "-" + name), List.of(cluster), cluster);
    this.name = name;
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("name", name);
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return Optional.ofNullable(client(ctx).namespaces().withName(name).get()).map(n -> ownedLabels(n)
        ? Observed.owned(Map.of("name", name), Outputs.of("name", name))
        : Observed.foreign("namespace " + name + ", not labelled " + STACK_LABEL + "=" + stack.name()));
  }

  @Override
  public Outputs create(StepContext ctx) {
    Namespace ns = labelled(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build());
    client(ctx).namespaces().resource(ns).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    return Outputs.of("name", name);
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    client(ctx).namespaces().withName(name).delete();
    awaitGone(ctx, () -> client(ctx).namespaces().withName(name).get());
  }
}
