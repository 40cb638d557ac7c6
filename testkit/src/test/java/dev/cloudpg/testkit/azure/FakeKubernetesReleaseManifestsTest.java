package dev.cloudpg.testkit.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

/**
 * The CloudNativePG 1.30.0 release manifest and the Barman Cloud plugin 0.14.0 manifest, applied to FakeKubernetes as
 * the Azure provider applies a manifest (server-side apply of every object), then CNPG and plugin objects checked
 * against their real schemas. The manifests are read from {@link Fixtures}; without them these tests are skipped. One
 * fake serves the whole class, each test using objects of its own names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FakeKubernetesReleaseManifestsTest {
  static final String CNPG = "cnpg-1.30.0.yaml";
  static final String PLUGIN = "plugin-barman-cloud-0.14.0-manifest.yaml";
  static final String CNPG_V1 = "postgresql.cnpg.io/v1";
  static final String BARMAN_V1 = "barmancloud.cnpg.io/v1";

  private FakeKubernetes k8s;
  private KubernetesClient client;
  private List<HasMetadata> cnpg;
  private boolean pluginApplied;

  /** Each test asks for the manifests it needs, so that each is skipped on its own when they are missing. */
  @BeforeEach
  void applyCnpg() throws IOException {
    Path file = Fixtures.require(CNPG);
    if (k8s != null) {
      return;
    }
    byte[] manifest = Files.readAllBytes(file);
    k8s = FakeKubernetes.start();
    client = new KubernetesClientBuilder().withConfig(k8s.client().getConfiguration())
        .withHttpClientFactory(new JdkHttpClientFactory()).build();
    cnpg = load(manifest);
    serverSideApply(cnpg);
    client.resource(new NamespaceBuilder().withNewMetadata().withName("pg").endMetadata().build()).create();
  }

  @AfterAll
  void stop() {
    if (client != null) {
      client.close();
    }
    if (k8s != null) {
      k8s.close();
    }
  }

  private List<HasMetadata> load(byte[] manifest) {
    try (InputStream in = new ByteArrayInputStream(manifest)) {
      return client.load(in).items();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void serverSideApply(List<HasMetadata> objects) {
    for (HasMetadata o : objects) {
      client.resource(client.getKubernetesSerialization().clone(o)).fieldManager("cloudpg").forceConflicts()
          .serverSideApply();
    }
  }

  private GenericKubernetesResource yaml(String text) {
    return client.getKubernetesSerialization().unmarshal(text, GenericKubernetesResource.class);
  }

  private GenericKubernetesResource applied(String text) {
    GenericKubernetesResource object = yaml(text);
    client.resource(object).fieldManager("cloudpg").forceConflicts().serverSideApply();
    return client.genericKubernetesResources(object.getApiVersion(), object.getKind())
        .inNamespace(object.getMetadata().getNamespace()).withName(object.getMetadata().getName()).get();
  }

  private static Status refused(Executable write) {
    KubernetesClientException e = assertThrows(KubernetesClientException.class, write);
    assertThat(e.getCode()).as(e.getMessage()).isEqualTo(422);
    assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
    return e.getStatus();
  }

  private static List<String> fields(Status status) {
    List<String> fields = new ArrayList<>();
    status.getDetails().getCauses().forEach(c -> fields.add(c.getField()));
    return fields;
  }

  static final String CLUSTER = """
      apiVersion: postgresql.cnpg.io/v1
      kind: Cluster
      metadata:
        name: %s
        namespace: pg
        labels: {app.kubernetes.io/managed-by: cloudpg}
      spec:
        instances: 3
        imageName: ghcr.io/cloudnative-pg/postgresql:17.5
        storage: {size: 10Gi, storageClass: managed-csi-premium}
        walStorage: {size: 2Gi}
        postgresql:
          parameters: {max_connections: "200", shared_buffers: 256MB, wal_compression: "on"}
        plugins:
        - name: barman-cloud.cloudnative-pg.io
          isWALArchiver: true
          parameters: {barmanObjectName: backups}
        affinity:
          nodeSelector: {workload: postgres}
          topologyKey: topology.kubernetes.io/zone
          enablePodAntiAffinity: true
          podAntiAffinityType: preferred
          tolerations:
          - {key: workload, operator: Equal, value: postgres, effect: NoSchedule}
        topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector: {matchLabels: {cnpg.io/cluster: %s}}
        resources:
          requests: {cpu: 500m, memory: 2Gi}
          limits: {memory: 2Gi}
        bootstrap:
          initdb: {database: app, owner: app, secret: {name: pg-owner}}
        inheritedMetadata:
          labels: {azure.workload.identity/use: "true"}
        serviceAccountTemplate:
          metadata:
            annotations: {azure.workload.identity/client-id: 00000000-0000-0000-0000-000000000001}
            labels: {azure.workload.identity/use: "true"}
      %s""";

  private static String cluster(String name, String extra) {
    return String.format(CLUSTER, name, name, extra);
  }

  @Test
  void cnpgManifest_whenServerSideApplied_storesEveryObjectAndTheOperatorBecomesReady() throws Exception {
    serverSideApply(cnpg); // applying a release again, as an upgrade does, changes nothing that breaks

    assertThat(cnpg).extracting(HasMetadata::getKind).contains("CustomResourceDefinition",
        "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "Deployment");
    assertThat(client.apiextensions().v1().customResourceDefinitions().list().getItems())
        .extracting(c -> c.getMetadata().getName()).contains("clusters.postgresql.cnpg.io",
            "scheduledbackups.postgresql.cnpg.io", "poolers.postgresql.cnpg.io", "databases.postgresql.cnpg.io");
    assertThat(client.admissionRegistration().v1().mutatingWebhookConfigurations()
        .withName("cnpg-mutating-webhook-configuration").get()).isNotNull();
    assertThat(client.admissionRegistration().v1().validatingWebhookConfigurations()
        .withName("cnpg-validating-webhook-configuration").get()).isNotNull();
    Deployment ready = await(() -> client.apps().deployments().inNamespace("cnpg-system")
        .withName("cnpg-controller-manager").get(), d -> d.getStatus() != null
            && Integer.valueOf(1).equals(d.getStatus().getAvailableReplicas()));
    assertThat(ready.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
  }

  @Test
  void cnpgCluster_whenValidWithThePluginAsWalArchiver_isStoredAndBecomesHealthy() throws Exception {
    GenericKubernetesResource stored = applied(cluster("pg-valid", ""));

    assertThat((Object) stored.get("spec", "plugins", 0, "parameters", "barmanObjectName")).isEqualTo("backups");
    GenericKubernetesResource healthy = await(() -> client.genericKubernetesResources(CNPG_V1, "Cluster")
        .inNamespace("pg").withName("pg-valid").get(), c -> c.get("status", "phase") != null);
    assertThat((Object) healthy.get("status", "readyInstances")).isEqualTo(3);
    applied(cluster("pg-valid", "")); // and again, as a second apply does
  }

  @Test
  void cnpgCluster_whenSpecHasAnUnknownField_isRefusedNamingIt() {
    Status status = refused(() -> applied(cluster("pg-unknown", "  backupp: {retentionPolicy: 30d}\n")));

    assertThat(fields(status)).containsExactly("spec.backupp");
    assertThat(status.getMessage()).isEqualTo("Cluster.postgresql.cnpg.io \"pg-unknown\" is invalid: "
        + ".spec.backupp: field not declared in schema");
    assertThat(client.genericKubernetesResources(CNPG_V1, "Cluster").inNamespace("pg").withName("pg-unknown").get())
        .isNull();
  }

  @Test
  void cnpgCluster_whenFieldsHaveTheWrongType_isRefusedNamingEach() {
    Status status = refused(() -> applied(cluster("pg-types", "").replace("instances: 3", "instances: three")
        .replace("isWALArchiver: true", "isWALArchiver: \"yes\"")));

    assertThat(status.getDetails().getCauses()).extracting(StatusCause::getField, StatusCause::getReason)
        .containsExactlyInAnyOrder(tuple("spec.instances", "FieldValueTypeInvalid"),
            tuple("spec.plugins[0].isWALArchiver", "FieldValueTypeInvalid"));
    assertThat(status.getMessage()).contains("spec.instances: Invalid value: \"string\": spec.instances in body "
        + "must be of type integer: \"string\"");
  }

  @Test
  void cnpgCluster_whenAnEnumOrPatternIsBroken_isRefused() {
    Status status = refused(() -> applied(cluster("pg-enum", "  primaryUpdateMethod: reboot\n")
        .replace("podAntiAffinityType: preferred", "podAntiAffinityType: sometimes")));

    assertThat(fields(status)).contains("spec.primaryUpdateMethod");
    assertThat(status.getDetails().getCauses()).extracting(StatusCause::getReason)
        .contains("FieldValueNotSupported");
  }

  @Test
  void scheduledBackup_whenItUsesThePlugin_isStoredAndAnUnknownMethodIsRefused() {
    String backup = """
        apiVersion: postgresql.cnpg.io/v1
        kind: ScheduledBackup
        metadata: {name: %s, namespace: pg}
        spec:
          schedule: "0 0 2 * * *"
          cluster: {name: pg-valid}
          backupOwnerReference: self
          method: %s
          pluginConfiguration: {name: barman-cloud.cloudnative-pg.io}
        """;

    GenericKubernetesResource stored = applied(String.format(backup, "daily", "plugin"));
    Status status = refused(() -> applied(String.format(backup, "hourly", "barman")));

    assertThat((Object) stored.get("spec", "pluginConfiguration", "name")).isEqualTo("barman-cloud.cloudnative-pg.io");
    assertThat(status.getDetails().getCauses()).extracting(StatusCause::getField, StatusCause::getReason)
        .containsExactly(tuple("spec.method", "FieldValueNotSupported"));
    assertThat(status.getDetails().getCauses().get(0).getMessage()).isEqualTo("Unsupported value: \"barman\": "
        + "supported values: \"barmanObjectStore\", \"volumeSnapshot\", \"plugin\"");
  }

  private void applyPlugin() throws IOException {
    if (!pluginApplied) {
      List<HasMetadata> objects = load(Files.readAllBytes(Fixtures.require(PLUGIN)));
      List<HasMetadata> certManager = objects.stream().filter(o -> o.getApiVersion().startsWith("cert-manager.io/"))
          .toList();
      List<HasMetadata> rest = new ArrayList<>(objects);
      rest.removeAll(certManager);
      serverSideApply(rest);
      assertThat(certManager).extracting(HasMetadata::getKind).containsExactly("Certificate", "Certificate", "Issuer");
      // no CRD serves cert-manager's kinds here, as in a cluster without cert-manager: fabric8 finds no such kind
      for (HasMetadata o : certManager) {
        assertThrows(KubernetesClientException.class, () -> client.resource(o).serverSideApply());
      }
      pluginApplied = true;
    }
  }

  static final String OBJECT_STORE = """
      apiVersion: barmancloud.cnpg.io/v1
      kind: ObjectStore
      metadata: {name: %s, namespace: pg}
      spec:
        retentionPolicy: %s
        configuration:
          destinationPath: https://pgbackups.blob.core.windows.net/backups
          azureCredentials: {inheritFromAzureAD: true}
          wal: {compression: gzip, maxParallel: 4}
          data: {compression: gzip, jobs: 2}
      """;

  @Test
  void pluginManifest_whenApplied_servesObjectStoresAndTheDeploymentBecomesReady() throws Exception {
    applyPlugin();

    assertThat(client.apiextensions().v1().customResourceDefinitions().withName("objectstores.barmancloud.cnpg.io")
        .get()).isNotNull();
    await(() -> client.apps().deployments().inNamespace("cnpg-system").withName("barman-cloud").get(),
        d -> d.getStatus() != null && Integer.valueOf(1).equals(d.getStatus().getAvailableReplicas()));
  }

  @Test
  void objectStore_whenValidWithAzureAdCredentials_isStored() throws Exception {
    applyPlugin();

    GenericKubernetesResource stored = applied(String.format(OBJECT_STORE, "backups", "30d"));

    assertThat((Object) stored.get("spec", "configuration", "azureCredentials", "inheritFromAzureAD")).isEqualTo(true);
  }

  @Test
  void objectStore_whenInvalid_isRefusedNamingEachField() throws Exception {
    applyPlugin();
    String invalid = String.format(OBJECT_STORE, "broken", "30 days")
        .replace("    destinationPath: https://pgbackups.blob.core.windows.net/backups\n", "")
        .replace("inheritFromAzureAD: true", "inheritFromAzureAD: true, tenant: contoso");

    Status status = refused(() -> applied(invalid));

    assertThat(status.getDetails().getCauses()).extracting(StatusCause::getField, StatusCause::getReason)
        .containsExactlyInAnyOrder(tuple("spec.retentionPolicy", "FieldValueInvalid"),
            tuple("spec.configuration.destinationPath", "FieldValueRequired"),
            tuple("spec.configuration.azureCredentials.tenant", "FieldValueInvalid"));
    assertThat(status.getMessage()).startsWith("ObjectStore.barmancloud.cnpg.io \"broken\" is invalid: [");
  }

  private static <T> T await(Supplier<T> read, Predicate<T> done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    T value = read.get();
    while (value == null || !done.test(value)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not done in time: " + value);
      }
      Thread.sleep(20);
      value = read.get();
    }
    return value;
  }
}
