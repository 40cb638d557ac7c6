package dev.cloudpg.testkit.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * No Secret's data reaches a log from FakeKubernetes, whatever the level. The build runs this class alone in a JVM
 * whose slf4j-simple logs everything at TRACE to {@code target/fake-kubernetes-trace.log}, and java.util.logging is
 * opened here to ALL, fabric8's mock server loggers too; the Secret is written and read over plain HTTP so that no
 * client of the test logs it, and through the fake's own client.
 */
class FakeKubernetesLoggingTest {
  static final String PASSWORD = "pw-7c1e5a-do-not-log";
  static final String STRING_DATA = "sd-93b2f0-do-not-log";
  static final String BASE64 = Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));

  @Test
  void secrets_whenWrittenReadListedPatchedAndDeletedAtTrace_neverReachALog() throws Exception {
    String logFile = System.getProperty("org.slf4j.simpleLogger.logFile");
    Assumptions.assumeTrue(logFile != null && "trace".equals(System.getProperty(
        "org.slf4j.simpleLogger.defaultLogLevel")), "runs in the build's trace-logging execution only, which "
            + "sets slf4j-simple to TRACE into a file");
    List<String> julRecords = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        julRecords.add(r.getLoggerName() + " " + r.getMessage() + " " + java.util.Arrays.toString(r.getParameters()));
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    Logger root = Logger.getLogger("");
    Level rootLevel = root.getLevel();
    root.setLevel(Level.ALL);
    capture.setLevel(Level.ALL);
    root.addHandler(capture);
    Logger mock = Logger.getLogger("io.fabric8.mockwebserver");
    mock.setUseParentHandlers(false); // its INFO line per request, on the console, would drown the build's output
    mock.addHandler(capture);
    try (FakeKubernetes k8s = FakeKubernetes.start()) {
      mock.setLevel(Level.ALL);
      HttpClient http = HttpClient.newHttpClient();
      String api = k8s.apiServer() + "/api/v1";
      String secrets = api + "/namespaces/default/secrets";
      String secret = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"db\",\"namespace\":"
          + "\"default\"},\"type\":\"kubernetes.io/basic-auth\",\"data\":{\"password\":\"" + BASE64 + "\"},"
          + "\"stringData\":{\"username\":\"" + STRING_DATA + "\"}}";

      assertThat(send(http, "POST", secrets, "application/json", secret).statusCode()).isEqualTo(201);
      HttpResponse<String> read = send(http, "GET", secrets + "/db", null, null);
      assertThat(read.body()).contains(BASE64, STRING_DATA);
      assertThat(send(http, "GET", secrets, null, null).body()).contains(BASE64);
      assertThat(send(http, "GET", api + "/secrets", null, null).body()).contains(BASE64);
      assertThat(send(http, "GET", secrets + "?labelSelector=app%3Ddb", null, null).statusCode()).isEqualTo(200);
      assertThat(send(http, "PATCH", secrets + "/db", "application/merge-patch+json",
          "{\"metadata\":{\"labels\":{\"app\":\"db\"}}}").body()).contains(BASE64);
      assertThat(send(http, "PATCH", secrets + "/db?fieldManager=test&force=true", "application/apply-patch+yaml",
          secret).statusCode()).isEqualTo(200);
      assertThat(send(http, "PATCH", secrets + "/db", "application/json-patch+json",
          "[{\"op\":\"add\",\"path\":\"/metadata/labels/tier\",\"value\":\"data\"}]").statusCode()).isLessThan(300);
      Secret viaFakeClient = k8s.client().secrets().inNamespace("default").withName("db").get();
      assertThat(viaFakeClient.getData()).containsEntry("password", BASE64);
      k8s.client().resource(viaFakeClient).update();
      String configMap = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"plain\","
          + "\"namespace\":\"default\"},\"data\":{\"visible\":\"logged-at-debug\"}}";
      send(http, "POST", api + "/namespaces/default/configmaps", "application/json", configMap);
      send(http, "GET", api + "/namespaces/default/configmaps/plain", null, null);
      assertThat(send(http, "DELETE", secrets + "/db", null, null).body()).contains(BASE64);
      assertThat(send(http, "GET", secrets + "/db", null, null).statusCode()).isEqualTo(404);
      send(http, "POST", secrets, "application/json", secret);
      assertThat(send(http, "DELETE", secrets, null, null).statusCode()).isEqualTo(200);
      Thread.sleep(100); // a few reconciler rounds, which log at DEBUG too
    } finally {
      mock.removeHandler(capture);
      mock.setUseParentHandlers(true);
      root.removeHandler(capture);
      root.setLevel(rootLevel);
    }

    String slf4j = Files.readString(Path.of(logFile), StandardCharsets.UTF_8);
    String jul = String.join("\n", julRecords);
    assertThat(slf4j).as("the TRACE log really has the mock server's DEBUG lines")
        .contains("Entry found for query").contains("logged-at-debug");
    assertThat(jul).as("java.util.logging was really captured").contains("received request");
    List<String> leaks = (slf4j + "\n" + jul).lines()
        .filter(l -> l.contains(PASSWORD) || l.contains(BASE64) || l.contains(STRING_DATA)).toList();
    assertThat(leaks).as("log lines with the Secret's data").isEmpty();
  }

  private static HttpResponse<String> send(HttpClient http, String method, String url, String contentType,
      String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
