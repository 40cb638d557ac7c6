package dev.cloudpg.azure.internal;

import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Kubernetes namespace of the stack: {@code cnpg-system} for the operator, {@code cnpg-database} for PostgreSQL.
 * Ready once the API server shows it and it is not terminating; gone once it no longer shows it.
 */
final class NamespaceResource extends KubernetesResource {
  static final Output<String> NAME = Output.string("name");
  private static final String TERMINATING = "Terminating";

  private final String name;

  NamespaceResource(AzureContext azure, Stack stack, PostgresCluster db, String name, ResourceKey cluster) {
    super(azure, stack, Keys.namespace(db, name), List.of(cluster), cluster);
    this.name = name;
  }

  private Optional<Namespace> get(StepContext ctx) {
    return Optional.ofNullable(client(ctx).namespaces().withName(name).get());
  }

  private static String phase(Namespace n) {
    return n.getStatus() == null ? null : n.getStatus().getPhase();
  }

  private Outputs outputs() {
    return Outputs.builder().put(NAME, name).build();
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("name", name);
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return get(ctx).map(n -> ownedLabels(n) ? Observed.owned(Map.of("name", name), outputs())
        : Observed.foreign(foreignObject("namespace", name)));
  }

  @Override
  public Outputs create(StepContext ctx) {
    Namespace ns = labelled(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build());
    client(ctx).namespaces().resource(ns).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    return outputs();
  }

  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    Optional<Namespace> ns = get(ctx);
    if (ns.isEmpty()) {
      return Probe.pending("not visible yet");
    }
    return TERMINATING.equals(phase(ns.get())) ? Probe.pending("still terminating from an earlier delete")
        : Probe.done(outputs());
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    if (leftToCluster(ctx)) {
      return;
    }
    client(ctx).namespaces().withName(name).delete();
  }

  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    if (goesWithCluster(ctx)) {
      return Probe.done();
    }
    return gone(get(ctx), NamespaceResource::phase);
  }
}
