package dev.cloudpg.azure.internal;

import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.azure.AksOptions;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The CloudNativePG operator: the objects of its release manifest, server-side applied (the CRDs are too large for
 * client-side apply's annotation); ready once the controller's deployment is available. The installed version is
 * recorded in the deployment's {@code cloudpg.dev/cnpg-version} annotation; a new version applies the new manifest
 * over the old one, as CloudNativePG's upgrade instructions do. A delete removes the manifest's objects but its CRDs
 * (deleting one deletes every object of its kind, other stacks' clusters too) and the namespaces the stack did not
 * create ({@code cnpg-system} is a step of its own).
 */
final class CnpgOperatorResource extends KubernetesResource {
  static final String DEPLOYMENT = "cnpg-controller-manager";
  static final String VERSION_ANNOTATION = "cloudpg.dev/cnpg-version";

  static final Output<String> VERSION = Output.string("version");
  static final Output<String> NAMESPACE = Output.string("namespace");

  private final AksOptions options;

  CnpgOperatorResource(AzureContext azure, Stack stack, PostgresCluster db, ResourceKey cluster,
      ResourceKey namespace) {
    super(azure, stack, Keys.cnpgOperator(db), List.of(cluster, namespace), cluster);
    this.options = Names.options(db);
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("version", options.cnpgVersion());
  }

  @Override
  public Set<String> updatable() {
    return Set.of("version");
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return deployment(client(ctx)).map(d -> {
      if (!ownedLabels(d)) {
        return Observed.foreign("CloudNativePG operator in " + Names.OPERATOR_NAMESPACE + ", installed by other "
            + "means");
      }
      Map<String, String> annotations = Optional.ofNullable(d.getMetadata().getAnnotations()).orElse(Map.of());
      return Observed.owned(Map.of("version", String.valueOf(annotations.get(VERSION_ANNOTATION))), outputs());
    });
  }

  private static Optional<Deployment> deployment(KubernetesClient client) {
    return Optional.ofNullable(client.apps().deployments().inNamespace(Names.OPERATOR_NAMESPACE).withName(DEPLOYMENT)
        .get());
  }

  private Outputs outputs() {
    return Outputs.builder().put(VERSION, options.cnpgVersion()).put(NAMESPACE, Names.OPERATOR_NAMESPACE).build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    KubernetesClient client = client(ctx);
    for (HasMetadata item : azure.kubernetes().manifest(client, options.cnpgManifest())) {
      HasMetadata object = labelled(client.getKubernetesSerialization().clone(item));
      if (object instanceof Deployment && DEPLOYMENT.equals(object.getMetadata().getName())) {
        Map<String, String> annotations = new LinkedHashMap<>(Optional.ofNullable(
            object.getMetadata().getAnnotations()).orElse(Map.of()));
        annotations.put(VERSION_ANNOTATION, options.cnpgVersion());
        object.getMetadata().setAnnotations(annotations);
      }
      client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }
    return outputs();
  }

  /** Available: as many replicas available as the deployment asks for. */
  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    Optional<Deployment> found = deployment(client(ctx));
    if (found.isEmpty()) {
      return Probe.failed("the manifest at " + Text.quote(options.cnpgManifest()) + " has no deployment "
          + DEPLOYMENT + " in " + Names.OPERATOR_NAMESPACE + ": check cnpgManifest and cnpgVersion");
    }
    Deployment d = found.get();
    Integer available = d.getStatus() == null ? null : d.getStatus().getAvailableReplicas();
    int wanted = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    return available != null && available >= wanted ? Probe.done(outputs())
        : Probe.pending((available == null ? 0 : available) + "/" + wanted + " replicas available");
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    if (leftToCluster(ctx)) {
      return;
    }
    KubernetesClient client = client(ctx);
    ManifestResource.deleteManifest(this, client, azure.kubernetes().manifest(client, options.cnpgManifest()),
        false);
  }

  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    if (goesWithCluster(ctx)) {
      return Probe.done();
    }
    return gone(deployment(client(ctx)), d -> "deployment " + DEPLOYMENT + " still there");
  }
}
