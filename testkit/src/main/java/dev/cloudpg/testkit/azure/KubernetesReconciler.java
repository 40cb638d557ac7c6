package dev.cloudpg.testkit.azure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudpg.spi.TimeSource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fake API server's dispatcher: it serves each request through a CRUD dispatcher and, right before and right
 * after it, does what controllers would have done by then on the fake's clock: Deployments become ready at once, and
 * CloudNativePG clusters become healthy, with their Services, {@code clusterReadyAfter} after they were created.
 *
 * <p>Reconciling around requests rather than on a timer means a client sees exactly what the clock says whenever it
 * looks, on a {@link dev.cloudpg.spi.VirtualClock} too, where no time passes between a create and the next poll but
 * what the engine jumps. The reconciler works on the stored objects through the CRUD dispatcher itself, never over
 * HTTP, so it never waits on the server it runs in. Thread-safe: one reconciliation runs at a time.
 */
final class KubernetesReconciler extends Dispatcher {
  static final String CNPG_API = "/apis/postgresql.cnpg.io/v1";
  static final String CNPG_PLURAL = "clusters";
  static final String HEALTHY = "Cluster in healthy state";

  private final KubernetesCrudDispatcher crud;
  private final Duration clusterReadyAfter;
  private final TimeSource time;
  private final ObjectMapper json = new ObjectMapper();
  /** When each cluster (by namespace, name and uid) was first seen, on the clock. */
  private final Map<String, Instant> firstSeen = new HashMap<>();

  KubernetesReconciler(KubernetesCrudDispatcher crud, Duration clusterReadyAfter, TimeSource time) {
    this.crud = crud;
    this.clusterReadyAfter = clusterReadyAfter;
    this.time = time;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    reconcile();
    MockResponse response = crud.dispatch(request);
    // Right after: what this request created is seen at the instant it was created.
    reconcile();
    return response;
  }

  @Override
  public void shutdown() {
    crud.shutdown();
  }

  /** Brings every Deployment and CloudNativePG cluster to the state the clock says it has reached. */
  synchronized void reconcile() {
    deployments();
    clusters();
  }

  private void deployments() {
    for (JsonNode d : items("/apis/apps/v1/deployments")) {
      int wanted = d.path("spec").path("replicas").asInt(1);
      if (d.path("status").path("readyReplicas").asInt(-1) == wanted) {
        continue;
      }
      ObjectNode status = json.createObjectNode().put("replicas", wanted).put("readyReplicas", wanted)
          .put("availableReplicas", wanted).put("updatedReplicas", wanted);
      if (d.path("metadata").has("generation")) {
        status.put("observedGeneration", d.path("metadata").path("generation").asLong());
      }
      status.putArray("conditions").addObject().put("type", "Available").put("status", "True")
          .put("reason", "MinimumReplicasAvailable");
      ((ObjectNode) d).set("status", status);
      // A write that loses a race with a client's is tried again around the next request.
      send(HttpMethod.PUT, path("/apis/apps/v1", "deployments", d) + "/status", d);
    }
  }

  private void clusters() {
    if (!clustersServed()) {
      return;
    }
    Instant now = time.now();
    for (JsonNode c : items(CNPG_API + "/" + CNPG_PLURAL)) {
      JsonNode metadata = c.path("metadata");
      String namespace = metadata.path("namespace").asText();
      String name = metadata.path("name").asText();
      int instances = c.path("spec").path("instances").asInt(1);
      JsonNode status = c.path("status");
      if (HEALTHY.equals(status.path("phase").asText()) && status.path("instances").asInt() == instances) {
        continue;
      }
      // A new cluster, or a new instance count: ready once the time to make an instance has passed since seen so.
      Instant seen = firstSeen.computeIfAbsent(namespace + "/" + name + "/" + metadata.path("uid").asText() + "/"
          + instances, k -> now);
      if (now.isBefore(seen.plus(clusterReadyAfter))) {
        continue;
      }
      service(namespace, name, "-rw", "primary");
      service(namespace, name, "-ro", "replica");
      service(namespace, name, "-r", null);
      ((ObjectNode) c).putObject("status").put("phase", HEALTHY).put("instances", instances)
          .put("readyInstances", instances).put("writeService", name + "-rw").put("readService", name + "-r");
      send(HttpMethod.PUT, path(CNPG_API, CNPG_PLURAL, c) + "/status", c);
    }
  }

  /**
   * Whether the API server serves CloudNativePG clusters, by discovery rather than by reading the CRD: CloudNativePG's
   * is half a megabyte, and this runs twice per request.
   */
  private boolean clustersServed() {
    MockResponse answer = crud.handleGet(CNPG_API);
    if (answer.code() != 200 || answer.getBody() == null) {
      return false;
    }
    try {
      for (JsonNode r : json.readTree(answer.getBody().readUtf8()).path("resources")) {
        if (CNPG_PLURAL.equals(r.path("name").asText())) {
          return true;
        }
      }
      return false;
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("the fake API server answered " + CNPG_API + " with no JSON", e);
    }
  }

  /** A Service like those CloudNativePG makes, unless it exists; {@code role} null selects every instance. */
  private void service(String namespace, String cluster, String suffix, String role) {
    String collection = "/api/v1/namespaces/" + namespace + "/services";
    if (crud.handleGet(collection + "/" + cluster + suffix).code() == 200) {
      return;
    }
    ObjectNode service = json.createObjectNode().put("apiVersion", "v1").put("kind", "Service");
    service.putObject("metadata").put("name", cluster + suffix).put("namespace", namespace).putObject("labels")
        .put("cnpg.io/cluster", cluster);
    ObjectNode spec = service.putObject("spec").put("type", "ClusterIP");
    ObjectNode selector = spec.putObject("selector").put("cnpg.io/cluster", cluster);
    if (role != null) {
      selector.put("cnpg.io/instanceRole", role);
    }
    spec.putArray("ports").addObject().put("name", "postgres").put("port", 5432).put("targetPort", 5432);
    send(HttpMethod.POST, collection, service);
  }

  private static String path(String api, String plural, JsonNode object) {
    return api + "/namespaces/" + object.path("metadata").path("namespace").asText() + "/" + plural + "/"
        + object.path("metadata").path("name").asText();
  }

  /** The items of a list, empty when the server does not serve it (yet). */
  private List<JsonNode> items(String path) {
    MockResponse answer = crud.handleGet(path);
    List<JsonNode> items = new ArrayList<>();
    if (answer.code() == 200 && answer.getBody() != null) {
      try {
        json.readTree(answer.getBody().readUtf8()).path("items").forEach(items::add);
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException("the fake API server answered " + path + " with no JSON", e);
      }
    }
    return items;
  }

  private void send(HttpMethod method, String path, JsonNode body) {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    RecordedRequest request = new RecordedRequest("HTTP/1.1", method, path,
        Headers.builder().set("Content-Type", "application/json").build(), new Buffer(bytes));
    if (method == HttpMethod.POST) {
      crud.handleCreate(request);
    } else {
      crud.handleUpdate(request);
    }
  }
}
