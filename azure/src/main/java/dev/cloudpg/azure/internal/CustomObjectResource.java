package dev.cloudpg.azure.internal;

import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A namespaced custom object of the stack (the Barman Cloud Plugin's {@code ObjectStore}, CloudNativePG's
 * {@code ScheduledBackup}): server-side applied with its whole {@code spec}, compared through the properties
 * {@code observe} reads back from the stored spec, ready once the API server has stored it.
 */
final class CustomObjectResource extends KubernetesResource {
  static final ResourceDefinitionContext OBJECT_STORES = new ResourceDefinitionContext.Builder()
      .withGroup("barmancloud.cnpg.io").withVersion("v1").withKind("ObjectStore").withPlural("objectstores")
      .withNamespaced(true).build();
  static final ResourceDefinitionContext SCHEDULED_BACKUPS = new ResourceDefinitionContext.Builder()
      .withGroup("postgresql.cnpg.io").withVersion("v1").withKind("ScheduledBackup").withPlural("scheduledbackups")
      .withNamespaced(true).build();

  static final Output<String> NAME = Output.string("name");

  private final ResourceDefinitionContext kind;
  private final String namespace;
  private final String name;
  private final Map<String, String> desired;
  private final Function<Map<String, Object>, Map<String, String>> observe;
  private final Function<StepContext, Map<String, Object>> spec;

  CustomObjectResource(AzureContext azure, Stack stack, ResourceKey key, List<ResourceKey> dependencies,
      ResourceKey cluster, ResourceDefinitionContext kind, String namespace, String name, Map<String, String> desired,
      Function<Map<String, Object>, Map<String, String>> observe, Function<StepContext, Map<String, Object>> spec) {
    super(azure, stack, key, dependencies, cluster);
    this.kind = kind;
    this.namespace = namespace;
    this.name = name;
    this.desired = Map.copyOf(desired);
    this.observe = observe;
    this.spec = spec;
  }

  @Override
  public Map<String, String> desired() {
    return desired;
  }

  @Override
  public Set<String> updatable() {
    return desired.keySet();
  }

  private Optional<GenericKubernetesResource> get(KubernetesClient client) {
    return Optional.ofNullable(client.genericKubernetesResources(kind).inNamespace(namespace).withName(name).get());
  }

  private Outputs outputs() {
    return Outputs.builder().put(NAME, name).build();
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return get(client(ctx)).map(o -> ownedLabels(o)
        ? Observed.owned(observe.apply(map(o.getAdditionalProperties().get("spec"))), outputs())
        : Observed.foreign(foreignObject(kind.getKind(), name)));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return o instanceof Map ? (Map<String, Object>) o : Map.of();
  }

  @Override
  public Outputs create(StepContext ctx) {
    GenericKubernetesResource object = labelled(new GenericKubernetesResourceBuilder()
        .withApiVersion(kind.getGroup() + "/" + kind.getVersion()).withKind(kind.getKind()).withNewMetadata()
        .withName(name).withNamespace(namespace).endMetadata().addToAdditionalProperties("spec", spec.apply(ctx))
        .build());
    client(ctx).genericKubernetesResources(kind).inNamespace(namespace).resource(object)
        .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    return outputs();
  }

  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    return get(client(ctx)).isPresent() ? Probe.done(outputs()) : Probe.pending("not visible yet");
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    if (leftToCluster(ctx)) {
      return;
    }
    client(ctx).genericKubernetesResources(kind).inNamespace(namespace).withName(name).delete();
  }

  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    if (goesWithCluster(ctx)) {
      return Probe.done();
    }
    return gone(get(client(ctx)), o -> "still there");
  }
}
