package dev.cloudpg.testkit.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** FakeKubernetes validates custom objects against their CRD's schema, on a small CRD made for it. */
class FakeKubernetesValidationTest {
  static final String API_VERSION = "example.cloudpg.dev/v1";
  static final String CRD = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: widgets.example.cloudpg.dev
      spec:
        group: example.cloudpg.dev
        scope: Namespaced
        names: {kind: Widget, listKind: WidgetList, plural: widgets, singular: widget}
        versions:
        - name: v1
          served: true
          storage: true
          subresources: {status: {}}
          schema:
            openAPIV3Schema:
              type: object
              properties:
                apiVersion: {type: string}
                kind: {type: string}
                metadata: {type: object}
                spec:
                  type: object
                  required: [size, mode]
                  properties:
                    size: {type: integer, minimum: 1, maximum: 9}
                    ratio: {type: number, minimum: 0, exclusiveMinimum: true, maximum: 1}
                    mode: {type: string, enum: [fast, safe], default: safe}
                    name: {type: string, pattern: '^[a-z]+$', maxLength: 8}
                    port:
                      anyOf: [{type: integer}, {type: string}]
                      x-kubernetes-int-or-string: true
                    comment: {type: string, nullable: true}
                    labels:
                      type: object
                      additionalProperties: {type: string}
                    extra:
                      type: object
                      x-kubernetes-preserve-unknown-fields: true
                    template:
                      type: object
                      x-kubernetes-embedded-resource: true
                      properties:
                        spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
                    parts:
                      type: array
                      maxItems: 2
                      items:
                        type: object
                        required: [id]
                        properties:
                          id: {type: string}
                    tags:
                      type: array
                      x-kubernetes-list-type: set
                      items: {type: string}
                status:
                  type: object
                  properties:
                    ready: {type: boolean}
      """;

  private FakeKubernetes k8s;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    k8s = FakeKubernetes.start();
    client = k8s.client();
    apply(CRD);
  }

  @AfterEach
  void stop() {
    k8s.close();
  }

  private void apply(String yaml) {
    for (HasMetadata o : client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
      client.resource(o).forceConflicts().serverSideApply();
    }
  }

  private static GenericKubernetesResource widget(String name, Map<String, Object> spec) {
    return new GenericKubernetesResourceBuilder().withApiVersion(API_VERSION).withKind("Widget").withNewMetadata()
        .withName(name).withNamespace("default").endMetadata().addToAdditionalProperties("spec", spec).build();
  }

  private static Map<String, Object> validSpec() {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("size", 3);
    spec.put("ratio", 0.5);
    spec.put("name", "abc");
    spec.put("port", "http");
    spec.put("comment", null);
    spec.put("labels", Map.of("a", "b"));
    spec.put("extra", Map.of("anything", Map.of("goes", List.of(1, "two"))));
    spec.put("template", Map.of("apiVersion", "v1", "kind", "Pod", "metadata", Map.of("name", "p",
        "labels", Map.of("x", "y")), "spec", Map.of("containers", List.of())));
    spec.put("parts", List.of(Map.of("id", "one")));
    spec.put("tags", List.of("a", "b"));
    return spec;
  }

  private static Map<String, Object> spec(Object... keysAndValues) {
    Map<String, Object> spec = validSpec();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      spec.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return spec;
  }

  private static Status refused(Executable write) {
    KubernetesClientException e = assertThrows(KubernetesClientException.class, write);
    assertThat(e.getCode()).isEqualTo(422);
    Status status = e.getStatus();
    assertThat(status.getKind()).isEqualTo("Status");
    assertThat(status.getStatus()).isEqualTo("Failure");
    assertThat(status.getReason()).isEqualTo("Invalid");
    assertThat(status.getDetails().getGroup()).isEqualTo("example.cloudpg.dev");
    assertThat(status.getDetails().getKind()).isEqualTo("Widget");
    return status;
  }

  private static StatusCause onlyCause(Status status) {
    assertThat(status.getDetails().getCauses()).hasSize(1);
    return status.getDetails().getCauses().get(0);
  }

  @Test
  void create_whenObjectFitsTheSchema_isStored() {
    client.resource(widget("w", validSpec())).create();

    GenericKubernetesResource stored = client.genericKubernetesResources(API_VERSION, "Widget").inNamespace("default")
        .withName("w").get();
    assertThat((Object) stored.get("spec", "size")).isEqualTo(3);
    assertThat((Object) stored.get("spec", "extra", "anything", "goes")).isEqualTo(List.of(1, "two"));
  }

  @Test
  void create_whenIntOrStringIsANumber_isStored() {
    client.resource(widget("w", spec("port", 5432))).create();

    assertThat(client.genericKubernetesResources(API_VERSION, "Widget").inNamespace("default").withName("w").get())
        .isNotNull();
  }

  @Test
  void create_whenSpecHasAnUnknownField_isRefusedNamingIt() {
    Status status = refused(() -> client.resource(widget("w", spec("colour", "red"))).create());

    StatusCause cause = onlyCause(status);
    assertThat(cause.getField()).isEqualTo("spec.colour");
    assertThat(cause.getReason()).isEqualTo("FieldValueInvalid");
    assertThat(cause.getMessage()).isEqualTo("field not declared in schema");
    assertThat(status.getMessage())
        .isEqualTo("Widget.example.cloudpg.dev \"w\" is invalid: .spec.colour: field not declared in schema");
    assertThat(status.getDetails().getName()).isEqualTo("w");
    assertThat(client.genericKubernetesResources(API_VERSION, "Widget").inNamespace("default").withName("w").get())
        .isNull();
  }

  @Test
  void create_whenAnEmbeddedObjectOrAListItemHasAnUnknownField_isRefusedNamingIt() {
    Status status = refused(() -> client.resource(widget("w", spec("parts", List.of(Map.of("id", "a"),
        Map.of("id", "b", "size", 1))))).create());

    assertThat(onlyCause(status).getField()).isEqualTo("spec.parts[1].size");
  }

  @Test
  void create_whenAFieldHasTheWrongType_isRefusedAsTheApiServerWordsIt() {
    Status status = refused(() -> client.resource(widget("w", spec("size", "three"))).create());

    StatusCause cause = onlyCause(status);
    assertThat(cause.getField()).isEqualTo("spec.size");
    assertThat(cause.getReason()).isEqualTo("FieldValueTypeInvalid");
    assertThat(cause.getMessage())
        .isEqualTo("Invalid value: \"string\": spec.size in body must be of type integer: \"string\"");
    assertThat(status.getMessage()).isEqualTo("Widget.example.cloudpg.dev \"w\" is invalid: spec.size: "
        + "Invalid value: \"string\": spec.size in body must be of type integer: \"string\"");
  }

  @Test
  void create_whenIntOrStringIsABoolean_isRefused() {
    Status status = refused(() -> client.resource(widget("w", spec("port", true))).create());

    assertThat(onlyCause(status).getField()).isEqualTo("spec.port");
    assertThat(onlyCause(status).getMessage()).contains("must be of type integer,string");
  }

  @Test
  void create_whenARequiredFieldIsMissing_isRefusedButOneWithADefaultIsNot() {
    Map<String, Object> spec = validSpec();
    spec.remove("size");

    Status status = refused(() -> client.resource(widget("w", spec)).create());

    StatusCause cause = onlyCause(status);
    assertThat(cause.getField()).isEqualTo("spec.size");
    assertThat(cause.getReason()).isEqualTo("FieldValueRequired");
    assertThat(cause.getMessage()).isEqualTo("Required value");
  }

  @Test
  void create_whenAValueIsNotInTheEnum_isRefusedWithTheSupportedValues() {
    Status status = refused(() -> client.resource(widget("w", spec("mode", "slow"))).create());

    StatusCause cause = onlyCause(status);
    assertThat(cause.getReason()).isEqualTo("FieldValueNotSupported");
    assertThat(cause.getMessage()).isEqualTo("Unsupported value: \"slow\": supported values: \"fast\", \"safe\"");
  }

  @Test
  void create_whenValuesBreakBoundsPatternsAndLengths_isRefusedWithEveryCause() {
    Status status = refused(() -> client.resource(widget("w", spec("size", 10, "ratio", 0, "name", "ABCDEFGHIJ",
        "parts", List.of(Map.of("id", "a"), Map.of("id", "b"), Map.of("id", "c")), "tags", List.of("a", "a"))))
        .create());

    assertThat(status.getDetails().getCauses()).extracting(StatusCause::getField, StatusCause::getReason)
        .contains(tuple("spec.size", "FieldValueInvalid"),
            tuple("spec.name", "FieldValueInvalid"),
            tuple("spec.name", "FieldValueTooLong"),
            tuple("spec.parts", "FieldValueTooMany"),
            tuple("spec.tags", "FieldValueDuplicate"));
    assertThat(status.getDetails().getCauses()).extracting(StatusCause::getMessage)
        .contains("Invalid value: 10: spec.size in body should be less than or equal to 9",
            "Invalid value: 0: spec.ratio in body should be greater than 0",
            "Invalid value: \"ABCDEFGHIJ\": spec.name in body should match '^[a-z]+$'");
    assertThat(status.getMessage()).startsWith("Widget.example.cloudpg.dev \"w\" is invalid: [");
  }

  @Test
  void nullable_whenNullIsGivenToAFieldThatIsNot_isRefused() {
    Status status = refused(() -> client.resource(widget("w", spec("name", null))).create());

    assertThat(onlyCause(status).getField()).isEqualTo("spec.name");
    assertThat(onlyCause(status).getReason()).isEqualTo("FieldValueTypeInvalid");
  }

  @Test
  void update_whenTheNewObjectIsInvalid_isRefusedAndTheStoredOneStays() {
    client.resource(widget("w", validSpec())).create();
    GenericKubernetesResource changed = client.genericKubernetesResources(API_VERSION, "Widget")
        .inNamespace("default").withName("w").get();
    changed.getAdditionalProperties().put("spec", spec("size", "big"));

    refused(() -> client.resource(changed).update());

    assertThat((Object) client.genericKubernetesResources(API_VERSION, "Widget").inNamespace("default")
        .withName("w").get().get("spec", "size")).isEqualTo(3);
  }

  @Test
  void patch_whenTheResultIsInvalid_isRefusedForMergeAndJsonPatches() {
    client.resource(widget("w", validSpec())).create();
    var widgets = client.genericKubernetesResources(API_VERSION, "Widget").inNamespace("default").withName("w");

    Status merge = refused(() -> widgets.patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"colour\":\"red\"}}"));
    Status json = refused(() -> widgets.patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"add\",\"path\":\"/spec/mode\",\"value\":\"slow\"}]"));

    assertThat(onlyCause(merge).getField()).isEqualTo("spec.colour");
    assertThat(onlyCause(json).getField()).isEqualTo("spec.mode");
    widgets.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"size\":4}}");
    assertThat((Object) widgets.get().get("spec", "size")).isEqualTo(4);
  }

  @Test
  void serverSideApply_whenCreatingOrChangingAnInvalidObject_isRefused() {
    Status created = refused(() -> client.resource(widget("w", spec("colour", "red"))).forceConflicts()
        .serverSideApply());
    client.resource(widget("w", validSpec())).forceConflicts().serverSideApply();
    Status changed = refused(() -> client.resource(widget("w", spec("size", 0))).forceConflicts()
        .serverSideApply());

    assertThat(onlyCause(created).getField()).isEqualTo("spec.colour");
    assertThat(onlyCause(changed).getMessage())
        .isEqualTo("Invalid value: 0: spec.size in body should be greater than or equal to 1");
  }

  @Test
  void updateStatus_whenTheStatusIsInvalid_isRefused() {
    client.resource(widget("w", validSpec())).create();
    GenericKubernetesResource w = client.genericKubernetesResources(API_VERSION, "Widget").inNamespace("default")
        .withName("w").get();
    w.getAdditionalProperties().put("status", Map.of("ready", "yes"));

    Status status = refused(() -> client.resource(w).updateStatus());

    assertThat(onlyCause(status).getField()).isEqualTo("status.ready");
  }

  @Test
  void create_whenTheCrdHasNoSchema_acceptsAnything() {
    apply("""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: gadgets.example.cloudpg.dev
        spec:
          group: example.cloudpg.dev
          scope: Namespaced
          names: {kind: Gadget, listKind: GadgetList, plural: gadgets, singular: gadget}
          versions:
          - {name: v1, served: true, storage: true}
        """);
    GenericKubernetesResource gadget = new GenericKubernetesResourceBuilder().withApiVersion(API_VERSION)
        .withKind("Gadget").withNewMetadata().withName("g").withNamespace("default").endMetadata()
        .addToAdditionalProperties("spec", Map.of("whatever", List.of(true))).build();

    client.resource(gadget).create();

    assertThat(client.genericKubernetesResources(API_VERSION, "Gadget").inNamespace("default").withName("g").get())
        .isNotNull();
  }

  @Test
  void create_whenTheCrdWasDeletedAndMadeAgainWithoutASchema_followsTheNewDefinition() {
    client.apiextensions().v1().customResourceDefinitions().withName("widgets.example.cloudpg.dev").delete();
    apply("""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.cloudpg.dev
        spec:
          group: example.cloudpg.dev
          scope: Namespaced
          names: {kind: Widget, listKind: WidgetList, plural: widgets, singular: widget}
          versions:
          - {name: v1, served: true, storage: true}
        """);

    client.resource(widget("w", spec("colour", "red"))).create();

    assertThat(client.genericKubernetesResources(API_VERSION, "Widget").inNamespace("default").withName("w").get())
        .isNotNull();
  }

  @Test
  void create_whenTheKindIsBuiltIn_isNotCheckedAgainstASchema() {
    apply("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: c, namespace: default}
        data: {a: b}
        """);

    assertThat(client.configMaps().inNamespace("default").withName("c").get().getData()).containsEntry("a", "b");
  }

  @Test
  void create_whenNoCrdServesTheKind_isStoredAsBeforeThoughDiscoveryKnowsNoSuchKind() {
    ResourceDefinitionContext issuers = new ResourceDefinitionContext.Builder().withGroup("cert-manager.io")
        .withVersion("v1").withKind("Issuer").withPlural("issuers").withNamespaced(true).build();
    GenericKubernetesResource issuer = new GenericKubernetesResourceBuilder().withApiVersion("cert-manager.io/v1")
        .withKind("Issuer").withNewMetadata().withName("selfsigned-issuer").withNamespace("default").endMetadata()
        .addToAdditionalProperties("spec", Map.of("selfSigned", Map.of())).build();

    client.genericKubernetesResources(issuers).inNamespace("default").resource(issuer).forceConflicts()
        .serverSideApply();

    assertThat(client.genericKubernetesResources(issuers).inNamespace("default").withName("selfsigned-issuer").get())
        .isNotNull();
    assertThatThrownBy(() -> client.resource(issuer).forceConflicts().serverSideApply())
        .isInstanceOf(KubernetesClientException.class).hasMessageContaining("Could not find a registered handler");
  }

  @Test
  void serverSideApply_whenAppliedAgain_replacesListsInsteadOfAppendingToThem() {
    client.resource(widget("w", validSpec())).forceConflicts().serverSideApply();
    client.resource(widget("w", validSpec())).forceConflicts().serverSideApply();
    client.resource(widget("w", spec("tags", List.of("c")))).forceConflicts().serverSideApply();

    GenericKubernetesResource stored = client.genericKubernetesResources(API_VERSION, "Widget").inNamespace("default")
        .withName("w").get();
    assertThat((Object) stored.get("spec", "tags")).isEqualTo(List.of("c"));
    assertThat((Object) stored.get("spec", "parts")).isEqualTo(List.of(Map.of("id", "one")));
  }
}
