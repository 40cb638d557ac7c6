package dev.cloudpg.azure.internal;

import com.azure.resourcemanager.containerservice.fluent.models.CredentialResultsInner;
import dev.cloudpg.spi.Text;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Kubernetes side: one fabric8 client per AKS cluster, made from the cluster's user kubeconfig (read through
 * ARM, never written to disk), and the operator manifests, fetched once per URI. The clients make each request once
 * (fabric8's own retries are off): the engine is the one retry layer.
 */
final class Kubernetes implements AutoCloseable {
  private final AzureContext azure;
  private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();
  private final Map<URI, List<HasMetadata>> manifests = new ConcurrentHashMap<>();

  Kubernetes(AzureContext azure) {
    this.azure = azure;
  }

  /** The kubeconfig of a cluster, as ARM hands it to its users. */
  String kubeconfig(String resourceGroup, String cluster) {
    CredentialResultsInner result = azure.managers().containers().serviceClient().getManagedClusters()
        .listClusterUserCredentials(resourceGroup, cluster);
    if (result.kubeconfigs() == null || result.kubeconfigs().isEmpty()) {
      throw new IllegalStateException("AKS cluster " + Text.quote(cluster) + " returned no kubeconfig");
    }
    return new String(result.kubeconfigs().get(0).value(), StandardCharsets.UTF_8);
  }

  /** A client of the cluster, made on first use. */
  KubernetesClient client(String resourceGroup, String cluster) {
    return clients.computeIfAbsent((resourceGroup + "/" + cluster).toLowerCase(), k -> {
      Config config = Config.fromKubeconfig(kubeconfig(resourceGroup, cluster));
      config.setRequestTimeout(60_000);
      config.setRequestRetryBackoffLimit(0);
      if (config.getMasterUrl().startsWith("http://")) {
        // Only fakes serve plain HTTP; real API servers speak TLS and choose HTTP/2 by ALPN. The JDK client's h2c
        // upgrade can misread a large answer as an HTTP/2 frame.
        config.setHttp2Disable(true);
      }
      return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory())
          .build();
    });
  }

  /** Forgets the client of a deleted cluster. */
  void forget(String resourceGroup, String cluster) {
    KubernetesClient c = clients.remove((resourceGroup + "/" + cluster).toLowerCase());
    if (c != null) {
      c.close();
    }
  }

  /** The objects of a manifest at an {@code https:}, {@code http:} or {@code file:} URI, parsed once. */
  List<HasMetadata> manifest(KubernetesClient client, URI uri) {
    return manifests.computeIfAbsent(uri, u -> {
      try (InputStream in = open(u)) {
        return client.load(in).items();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the manifest " + Text.quote(u), e);
      }
    });
  }

  private static InputStream open(URI uri) throws IOException {
    if ("file".equals(uri.getScheme())) {
      return Files.newInputStream(Path.of(uri));
    }
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofSeconds(30)).build();
    try {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IOException("HTTP " + r.statusCode());
      }
      return new ByteArrayInputStream(r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() {
    clients.values().forEach(KubernetesClient::close);
    clients.clear();
  }
}
