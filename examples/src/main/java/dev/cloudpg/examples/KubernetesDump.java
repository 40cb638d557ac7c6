package dev.cloudpg.examples;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes every Kubernetes object the provider applied (those labelled {@code app.kubernetes.io/managed-by=cloudpg})
 * to a folder, one JSON file per object named {@code NNN-<kind>-<namespace>-<name>.json}. A Secret's {@code data}
 * and {@code stringData} values are replaced by {@code <redacted>}.
 */
final class KubernetesDump {
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String REDACTED = "<redacted>";

  private KubernetesDump() {}

  /** Writes the objects; returns how many. */
  static int write(KubernetesClient client, Path dir) {
    List<HasMetadata> objects = new ArrayList<>();
    objects.addAll(client.namespaces().withLabel(MANAGED_BY, "cloudpg").list().getItems());
    objects.addAll(client.apiextensions().v1().customResourceDefinitions().withLabel(MANAGED_BY, "cloudpg").list()
        .getItems());
    objects.addAll(client.serviceAccounts().inAnyNamespace().withLabel(MANAGED_BY, "cloudpg").list().getItems());
    objects.addAll(client.rbac().clusterRoles().withLabel(MANAGED_BY, "cloudpg").list().getItems());
    objects.addAll(client.rbac().clusterRoleBindings().withLabel(MANAGED_BY, "cloudpg").list().getItems());
    objects.addAll(client.rbac().roles().inAnyNamespace().withLabel(MANAGED_BY, "cloudpg").list().getItems());
    objects.addAll(client.rbac().roleBindings().inAnyNamespace().withLabel(MANAGED_BY, "cloudpg").list().getItems());
    objects.addAll(client.services().inAnyNamespace().withLabel(MANAGED_BY, "cloudpg").list().getItems());
    objects.addAll(client.apps().deployments().inAnyNamespace().withLabel(MANAGED_BY, "cloudpg").list().getItems());
    objects.addAll(client.secrets().inAnyNamespace().withLabel(MANAGED_BY, "cloudpg").list().getItems());
    objects.addAll(client.configMaps().inAnyNamespace().withLabel(MANAGED_BY, "cloudpg").list().getItems());
    for (CustomResourceDefinition crd : client.apiextensions().v1().customResourceDefinitions().list().getItems()) {
      String version = crd.getSpec().getVersions().stream().filter(v -> Boolean.TRUE.equals(v.getServed()))
          .map(v -> v.getName()).findFirst().orElse(null);
      if (version == null) {
        continue;
      }
      ResourceDefinitionContext kind = new ResourceDefinitionContext.Builder().withGroup(crd.getSpec().getGroup())
          .withVersion(version).withKind(crd.getSpec().getNames().getKind())
          .withPlural(crd.getSpec().getNames().getPlural())
          .withNamespaced("Namespaced".equals(crd.getSpec().getScope())).build();
      List<GenericKubernetesResource> items = kind.isNamespaceScoped()
          ? client.genericKubernetesResources(kind).inAnyNamespace().withLabel(MANAGED_BY, "cloudpg").list()
              .getItems()
          : client.genericKubernetesResources(kind).withLabel(MANAGED_BY, "cloudpg").list().getItems();
      objects.addAll(items);
    }
    try {
      Files.createDirectories(dir);
      int n = 0;
      for (HasMetadata o : objects) {
        n++;
        String name = String.format("%03d-%s-%s%s.json", n, o.getKind(), o.getMetadata().getNamespace() == null ? ""
            : o.getMetadata().getNamespace() + "-", o.getMetadata().getName());
        Files.writeString(dir.resolve(name), json(client, o), StandardCharsets.UTF_8);
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to " + dir, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static String json(KubernetesClient client, HasMetadata object) {
    Map<String, Object> tree = client.getKubernetesSerialization().convertValue(object, Map.class);
    if ("Secret".equals(object.getKind())) {
      for (String field : List.of("data", "stringData")) {
        Object values = tree.get(field);
        if (values instanceof Map) {
          Map<String, Object> redacted = new LinkedHashMap<>();
          ((Map<String, Object>) values).keySet().forEach(k -> redacted.put(k, REDACTED));
          tree.put(field, redacted);
        }
      }
      Map<String, Object> metadata = (Map<String, Object>) tree.get("metadata");
      if (metadata != null) {
        metadata.remove("managedFields");
        Object annotations = metadata.get("annotations");
        if (annotations instanceof Map) {
          ((Map<String, Object>) annotations).remove("kubectl.kubernetes.io/last-applied-configuration");
        }
      }
    }
    return client.getKubernetesSerialization().asJson(tree);
  }
}
