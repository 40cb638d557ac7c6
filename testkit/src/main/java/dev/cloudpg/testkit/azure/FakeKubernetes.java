package dev.cloudpg.testkit.azure;

import com.sun.net.httpserver.HttpServer;
import dev.cloudpg.spi.TimeSource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;

/**
 * A Kubernetes API server for tests: fabric8's mock server in CRUD mode (objects are stored, read, patched, listed
 * and watched; custom resources are served once their CustomResourceDefinition is created) on a loopback port over
 * plain http. Custom objects are checked against their CRD's {@code openAPIV3Schema} whenever they are written, and
 * refused as the API server refuses them (HTTP 422, a {@code Status} with reason {@code Invalid} and a cause per
 * field; unknown fields as under {@code fieldValidation=Strict}); kinds without a CRD or a schema, and built-in kinds,
 * are stored unchecked. No Secret's data reaches a log, at any level. A small reconciler does, around each request,
 * what controllers would:
 *
 * <ul>
 *   <li>a Deployment becomes ready: {@code status.readyReplicas} and {@code availableReplicas} equal
 *       {@code spec.replicas}, with an {@code Available} condition;
 *   <li>a CloudNativePG {@code postgresql.cnpg.io/v1} {@code Cluster}, after a simulated delay on the fake's clock
 *       (the engine's virtual clock, say: {@link #start(Duration, TimeSource)}), gets the Services {@code <name>-rw},
 *       {@code <name>-ro} and {@code <name>-r} and the status {@code phase: Cluster in healthy state},
 *       {@code instances}, {@code readyInstances}, {@code writeService}, {@code readService}.
 * </ul>
 *
 * <pre>{@code
 * try (FakeKubernetes k8s = FakeKubernetes.start(Duration.ofMinutes(2), 1000);
 *      FakeArm arm = FakeArm.builder().kubernetesApiServer(k8s.apiServer()).build()) {
 *   // kubeconfigs from listClusterUserCredential now reach k8s; install from k8s.operatorManifest()
 * }
 * }</pre>
 *
 * <p>{@link #operatorManifest()}, {@link #barmanPluginManifest()} and {@link #certManagerManifest()} serve small
 * hand-written stand-ins for the CloudNativePG operator, Barman Cloud Plugin and cert-manager release manifests. The
 * fake needs {@code io.fabric8:kubernetes-server-mock}, {@code kubernetes-client} and
 * {@code kubernetes-httpclient-jdk} on the class path. Its threads are daemons; {@link #close()} stops everything.
 */
public final class FakeKubernetes implements AutoCloseable {
  private static final String MANIFEST_PATH = "/cnpg-operator.yaml";
  private static final String PLUGIN_PATH = "/barman-cloud-plugin.yaml";
  private static final String CERT_MANAGER_PATH = "/cert-manager.yaml";
  /** The name under which fabric8's HTTP client adds its body-logging interceptor when TRACE is on. */
  private static final String HTTP_LOGGING = "HttpLogging";
  /**
   * The mock server logs every request at INFO through java.util.logging: keep the logger (a strong reference, so the
   * level sticks) at WARNING.
   */
  private static final java.util.logging.Logger MOCK_LOG = quiet("io.fabric8.mockwebserver");

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.WARNING);
    return logger;
  }

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final HttpServer manifests;
  private final URI apiServer;

  private FakeKubernetes(Duration clusterReadyAfter, TimeSource time) {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesReconciler(new ApplyingCrudDispatcher(), clusterReadyAfter, time), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    apiServer = URI.create("http://127.0.0.1:" + server.getPort());
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(apiServer.toString()).withTrustCerts(true)
        .withNamespace("default").withRequestRetryBackoffLimit(0)
        // plain HTTP: no h2c upgrade, which the JDK client can get wrong on a large answer
        .withHttp2Disable(true).build();
    // fabric8 logs whole request and response bodies at TRACE, Secrets' data too: not this client.
    client = new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory())
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(HTTP_LOGGING, null)).build();
    manifests = serveManifest();
  }

  /**
   * Starts a fake whose CloudNativePG clusters become healthy at once.
   *
   * @return the running fake; close it to stop it
   */
  public static FakeKubernetes start() {
    return start(Duration.ZERO, 1000);
  }

  /**
   * Starts a fake whose CloudNativePG clusters become healthy {@code clusterReadyAfter} (simulated) after they are
   * first seen, and again after their instance count changes.
   *
   * @param clusterReadyAfter how long a cluster takes to become healthy, in simulated time
   * @param timeScale how much faster than real time simulated time runs, as in {@link FakeArm}
   * @return the running fake; close it to stop it
   */
  public static FakeKubernetes start(Duration clusterReadyAfter, double timeScale) {
    if (!(timeScale > 0)) {
      throw new IllegalArgumentException("timeScale must be positive: " + timeScale);
    }
    return new FakeKubernetes(clusterReadyAfter, TimeSource.scaled(Instant.now(), timeScale));
  }

  /**
   * Starts a fake whose CloudNativePG clusters become healthy once {@code time} has moved on by
   * {@code clusterReadyAfter} since they were created: give it the clock of the cloud under test, as
   * {@link FakeArm.Builder#time} takes it.
   *
   * @param clusterReadyAfter how long a cluster takes to become healthy, in simulated time
   * @param time the clock
   * @return the running fake; close it to stop it
   */
  public static FakeKubernetes start(Duration clusterReadyAfter, TimeSource time) {
    return new FakeKubernetes(clusterReadyAfter, java.util.Objects.requireNonNull(time, "time"));
  }

  /** {@return the API server's URL, {@code http://127.0.0.1:<port>}: what a kubeconfig's {@code server} should say} */
  public URI apiServer() {
    return apiServer;
  }

  /**
   * How many requests the API server has answered since it started, from every client ({@link #client()}'s
   * included): take the difference around what a test measures.
   *
   * @return the number of requests so far
   */
  public int requestCount() {
    return server.getRequestCount();
  }

  /** {@return a client of the fake on the JDK HTTP client, for setting up and checking state} */
  public KubernetesClient client() {
    return client;
  }

  /**
   * A loopback http URL of a small test manifest standing in for the CloudNativePG operator: Namespace
   * {@code cnpg-system}, the CRDs {@code clusters.postgresql.cnpg.io} and {@code scheduledbackups.postgresql.cnpg.io},
   * a ServiceAccount, ClusterRole and binding, and the Deployment {@code cnpg-controller-manager} (at a 1.30.0 image).
   *
   * @return the manifest's URL
   */
  public URI operatorManifest() {
    return URI.create("http://127.0.0.1:" + manifests.getAddress().getPort() + MANIFEST_PATH);
  }

  /**
   * A loopback http URL of a small test manifest standing in for the Barman Cloud Plugin's: the typed CRD
   * {@code objectstores.barmancloud.cnpg.io}, and in {@code cnpg-system} a ServiceAccount, the Service and the
   * Deployment {@code barman-cloud}, a cert-manager {@code Issuer} and two {@code Certificate}s (so it applies only
   * after cert-manager's CRDs).
   *
   * @return the manifest's URL
   */
  public URI barmanPluginManifest() {
    return URI.create("http://127.0.0.1:" + manifests.getAddress().getPort() + PLUGIN_PATH);
  }

  /**
   * A loopback http URL of a small test manifest standing in for cert-manager's: Namespace {@code cert-manager}, the
   * CRDs {@code certificates.cert-manager.io} and {@code issuers.cert-manager.io}, and the Deployments
   * {@code cert-manager}, {@code cert-manager-cainjector} and {@code cert-manager-webhook}.
   *
   * @return the manifest's URL
   */
  public URI certManagerManifest() {
    return URI.create("http://127.0.0.1:" + manifests.getAddress().getPort() + CERT_MANAGER_PATH);
  }

  /** Stops the client and both servers. */
  @Override
  public void close() {
    client.close();
    manifests.stop(0);
    server.destroy();
  }

  private static byte[] resource(String name) {
    try (InputStream in = FakeKubernetes.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the test manifest " + name, e);
    }
  }

  private static HttpServer serveManifest() {
    try {
      HttpServer http = LoopbackHttp.server();
      for (String path : new String[] {MANIFEST_PATH, PLUGIN_PATH, CERT_MANAGER_PATH}) {
        byte[] manifest = resource(path.substring(1));
        http.createContext(path, exchange -> {
          try (exchange; OutputStream out = exchange.getResponseBody()) {
            exchange.getResponseHeaders().set("Content-Type", "application/yaml");
            exchange.sendResponseHeaders(200, manifest.length);
            out.write(manifest);
          }
        });
      }
      http.start();
      return http;
    } catch (IOException e) {
      throw new UncheckedIOException("could not listen on a loopback port", e);
    }
  }
}
