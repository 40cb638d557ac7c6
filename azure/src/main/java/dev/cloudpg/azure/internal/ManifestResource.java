package dev.cloudpg.azure.internal;

import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A component installed from a release manifest (cert-manager, the Barman Cloud Plugin): its objects server-side
 * applied, ready once its deployments are available, its version in the first deployment's
 * {@code cloudpg.dev/version} annotation. When {@code presence} names a CRD and the cluster already has it, not
 * labelled as this stack's, the component is someone else's: it is used as it is, never changed nor deleted. A delete
 * removes the manifest's objects but its CRDs (which would take every object of their kinds with them) and the
 * namespaces this stack did not create.
 */
final class ManifestResource extends KubernetesResource {
  static final String VERSION_ANNOTATION = "cloudpg.dev/version";
  /** {@code true} when this stack installed the component, {@code false} when it found one installed. */
  static final Output<String> INSTALLED = Output.string("installed");

  private final String what;
  private final String version;
  private final URI manifest;
  private final String namespace;
  private final List<String> deployments;
  private final String presence;

  ManifestResource(AzureContext azure, Stack stack, ResourceKey key, List<ResourceKey> dependencies,
      ResourceKey cluster, String what, String version, URI manifest, String namespace, List<String> deployments,
      String presence) {
    super(azure, stack, key, dependencies, cluster);
    this.what = what;
    this.version = version;
    this.manifest = manifest;
    this.namespace = namespace;
    this.deployments = List.copyOf(deployments);
    this.presence = presence;
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("version", version);
  }

  @Override
  public java.util.Set<String> updatable() {
    return java.util.Set.of("version");
  }

  private Optional<Deployment> deployment(KubernetesClient client, String name) {
    return Optional.ofNullable(client.apps().deployments().inNamespace(namespace).withName(name).get());
  }

  private Outputs outputs(boolean installed) {
    return Outputs.builder().put(INSTALLED, String.valueOf(installed)).build();
  }

  /** Whether the cluster has the component from elsewhere: its CRD there, not labelled as this stack's. */
  private boolean foundInstalled(KubernetesClient client) {
    if (presence == null) {
      return false;
    }
    CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().withName(presence).get();
    return crd != null && !ownedLabels(crd);
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    KubernetesClient client = client(ctx);
    if (foundInstalled(client)) {
      return Optional.of(Observed.owned(desired(), outputs(false)));
    }
    return deployment(client, deployments.get(0)).map(d -> {
      if (!ownedLabels(d)) {
        return Observed.foreign(what + " in " + namespace + ", installed by other means");
      }
      Map<String, String> annotations = Optional.ofNullable(d.getMetadata().getAnnotations()).orElse(Map.of());
      return Observed.owned(Map.of("version", String.valueOf(annotations.get(VERSION_ANNOTATION))), outputs(true));
    });
  }

  @Override
  public Outputs create(StepContext ctx) {
    KubernetesClient client = client(ctx);
    if (foundInstalled(client)) {
      ctx.note(what + " is already installed (" + presence + "): left as it is");
      return outputs(false);
    }
    for (HasMetadata item : azure.kubernetes().manifest(client, manifest)) {
      HasMetadata object = labelled(client.getKubernetesSerialization().clone(item));
      if (object instanceof Deployment && deployments.get(0).equals(object.getMetadata().getName())) {
        Map<String, String> annotations = new LinkedHashMap<>(Optional.ofNullable(
            object.getMetadata().getAnnotations()).orElse(Map.of()));
        annotations.put(VERSION_ANNOTATION, version);
        object.getMetadata().setAnnotations(annotations);
      }
      client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }
    return outputs(true);
  }

  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    if ("false".equals(started.find(INSTALLED).orElse("true"))) {
      return Probe.done(started);
    }
    KubernetesClient client = client(ctx);
    for (String name : deployments) {
      Optional<Deployment> found = deployment(client, name);
      if (found.isEmpty()) {
        return Probe.failed("the manifest at " + Text.quote(manifest) + " has no deployment " + name + " in "
            + namespace);
      }
      Deployment d = found.get();
      Integer available = d.getStatus() == null ? null : d.getStatus().getAvailableReplicas();
      int wanted = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      if (available == null || available < wanted) {
        return Probe.pending(name + ": " + (available == null ? 0 : available) + "/" + wanted
            + " replicas available");
      }
    }
    return Probe.done(outputs(true));
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    if (leftToCluster(ctx)) {
      return;
    }
    if ("false".equals(current.outputs().find(INSTALLED).orElse("true"))) {
      return;
    }
    deleteManifest(this, client(ctx), azure.kubernetes().manifest(client(ctx), manifest), true);
  }

  /**
   * Deletes a manifest's objects, newest first, but its CRDs and its namespaces: all of them unless
   * {@code namespaces}, else those not labelled as {@code owner}'s stack.
   */
  static void deleteManifest(KubernetesResource owner, KubernetesClient client, List<HasMetadata> manifest,
      boolean namespaces) {
    List<HasMetadata> items = new ArrayList<>(manifest);
    Collections.reverse(items);
    for (HasMetadata item : items) {
      if (item instanceof CustomResourceDefinition) {
        continue;
      }
      if (item instanceof Namespace) {
        Namespace ns = client.namespaces().withName(item.getMetadata().getName()).get();
        if (!namespaces || ns == null || !owner.ownedLabels(ns)) {
          continue;
        }
      }
      client.resource(item).delete();
    }
  }

  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    if (goesWithCluster(ctx)) {
      return Probe.done();
    }
    if ("false".equals(current.outputs().find(INSTALLED).orElse("true"))) {
      return Probe.done();
    }
    return gone(deployment(client(ctx), deployments.get(0)), d -> "deployment " + deployments.get(0)
        + " still there");
  }
}
