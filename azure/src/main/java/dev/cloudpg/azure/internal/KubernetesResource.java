package dev.cloudpg.azure.internal;

import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A resource inside a stack's AKS cluster, reached with the cluster's user kubeconfig. Kubernetes objects carry the
 * labels {@code app.kubernetes.io/managed-by=cloudpg} and {@code cloudpg.dev/stack} and the annotation
 * {@code cloudpg.dev/key}, and are written with
 * server-side apply under the field manager {@code cloudpg}, so that applying again changes nothing. An apply or a
 * delete is the request that starts it; the check reads what the API server reports (a deployment available, a
 * cluster's instances ready, an object gone).
 */
abstract class KubernetesResource extends AzureResource {
  static final String FIELD_MANAGER = "cloudpg";
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String STACK_LABEL = "cloudpg.dev/stack";
  /** The object's key in the stack: an annotation, since a label value cannot hold {@code :} or {@code /}. */
  static final String KEY_ANNOTATION = "cloudpg.dev/key";

  private final ResourceKey cluster;

  KubernetesResource(AzureContext azure, Stack stack, ResourceKey key, List<ResourceKey> dependencies,
      ResourceKey cluster) {
    super(azure, stack, key, dependencies);
    this.cluster = cluster;
  }

  /**
   * Whether deleting this object can be left to the deletion of its AKS cluster in the same run: the cluster is no
   * longer in the stack's graph, or this object still is, which happens only in a destroy, where everything goes.
   * Then nothing is sent to the API server (the objects go with the cluster's etcd).
   */
  boolean goesWithCluster(StepContext ctx) {
    java.util.Set<ResourceKey> keys = new java.util.HashSet<>();
    new AzureGraph(azure, new AzureRules(azure)).expand(ctx.stack()).forEach(r -> keys.add(r.key()));
    return !keys.contains(cluster) || keys.contains(key());
  }

  /** {@link #goesWithCluster}, with a note saying so when it does. */
  boolean leftToCluster(StepContext ctx) {
    boolean skip = goesWithCluster(ctx);
    if (skip) {
      ctx.note("not deleted on its own: it goes with the AKS cluster this run deletes");
    }
    return skip;
  }

  KubernetesClient client(StepContext ctx) {
    return azure.kubernetes().client(resourceGroup(), ctx.get(cluster, AksClusterResource.NAME));
  }

  /** Whether an object's labels mark it as this stack's. */
  boolean ownedLabels(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels != null && stack.name().equals(labels.get(STACK_LABEL));
  }

  /** A foreign object's description. */
  String foreignObject(String what, String name) {
    return what + " " + Text.quote(name) + ", not labelled " + STACK_LABEL + "=" + Text.quote(stack.name());
  }

  /** Adds the ownership labels to an object. */
  <T extends HasMetadata> T labelled(T object) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (object.getMetadata().getLabels() != null) {
      labels.putAll(object.getMetadata().getLabels());
    }
    labels.put(MANAGED_BY, "cloudpg");
    labels.put(STACK_LABEL, stack.name());
    object.getMetadata().setLabels(labels);
    Map<String, String> annotations = new LinkedHashMap<>();
    if (object.getMetadata().getAnnotations() != null) {
      annotations.putAll(object.getMetadata().getAnnotations());
    }
    annotations.put(KEY_ANNOTATION, key().toString());
    object.getMetadata().setAnnotations(annotations);
    return object;
  }
}
