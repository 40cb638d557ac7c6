package dev.cloudpg.testkit.mst;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeGraphTest {
  private FakeGraph graph;
  private JsonHttp http;

  @BeforeEach
  void start() {
    graph = FakeGraph.start("11111111-2222-4333-8444-555555555555");
    http = new JsonHttp(graph.baseUrl(), "Bearer test-token");
  }

  @AfterEach
  void stop() {
    graph.close();
  }

  @Test
  void request_whenNoBearerToken_answers401WithGraphErrorBody() {
    JsonHttp.Response response = new JsonHttp(graph.baseUrl(), null).send("GET", "/organization", null);

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.body().path("error").path("code").asText()).isEqualTo("InvalidAuthenticationToken");
    assertThat(response.headers().firstValue("request-id")).isPresent();
  }

  @Test
  void organization_always_answersTheTenant() {
    assertThat(http.send("GET", "/organization", null).body().path("value").path(0).path("id").asText())
        .isEqualTo("11111111-2222-4333-8444-555555555555");
  }

  @Test
  void applications_whenFilteredByDisplayName_listOnlyThatName() {
    http.send("POST", "/applications", "{\"displayName\":\"a\"}");
    http.send("POST", "/applications", "{\"displayName\":\"b\"}");

    JsonNode value = http.send("GET", "/applications?%24filter=displayName%20eq%20%27b%27", null).body()
        .path("value");

    assertThat(value).hasSize(1);
    assertThat(value.path(0).path("displayName").asText()).isEqualTo("b");
  }

  @Test
  void applicationsAndServicePrincipals_whenFilteredByTag_listOnlyThoseWithIt() {
    http.send("POST", "/applications", "{\"displayName\":\"a\",\"tags\":[\"cloudpg:stack=p/s\"]}");
    http.send("POST", "/applications", "{\"displayName\":\"b\",\"tags\":[\"other\"]}");
    http.send("POST", "/servicePrincipals", "{\"appId\":\"app-1\",\"tags\":[\"cloudpg:stack=p/s\"]}");
    String filter = "?%24filter=tags%2Fany(t%3At%20eq%20%27cloudpg%3Astack%3Dp%2Fs%27)";

    JsonNode apps = http.send("GET", "/applications" + filter, null).body().path("value");
    JsonNode principals = http.send("GET", "/servicePrincipals" + filter, null).body().path("value");

    assertThat(apps).hasSize(1);
    assertThat(apps.path(0).path("displayName").asText()).isEqualTo("a");
    assertThat(principals).hasSize(1);
    assertThat(principals.path(0).path("appId").asText()).isEqualTo("app-1");
  }

  @Test
  void applications_whenFilterUnsupported_answers400() {
    assertThat(http.send("GET", "/applications?%24filter=startswith(displayName,%27a%27)", null).status())
        .isEqualTo(400);
  }

  @Test
  void addPassword_whenAdded_secretTextOnlyInThatAnswer() {
    String id = http.send("POST", "/applications", "{\"displayName\":\"a\"}").body().path("id").asText();

    JsonNode password = http.send("POST", "/applications/" + id + "/addPassword",
        "{\"passwordCredential\":{\"displayName\":\"p\"}}").body();
    JsonNode app = http.send("GET", "/applications/" + id, null).body();

    String secret = password.path("secretText").asText();
    assertThat(secret).hasSizeGreaterThan(20);
    assertThat(app.path("passwordCredentials").path(0).path("hint").asText()).isEqualTo(secret.substring(0, 3));
    assertThat(app.toString()).doesNotContain(secret);
    assertThat(graph.requests().toString()).doesNotContain(secret).doesNotContain("test-token");
  }

  @Test
  void servicePrincipal_whenForeignAndDenied_answers403LikeGraph() {
    graph.denyForeignServicePrincipals(true);
    String localAppId = http.send("POST", "/applications", "{\"displayName\":\"a\"}").body().path("appId").asText();

    JsonHttp.Response foreign = http.send("POST", "/servicePrincipals", "{\"appId\":\"foreign-app\"}");
    JsonHttp.Response local = http.send("POST", "/servicePrincipals", "{\"appId\":\"" + localAppId + "\"}");

    assertThat(foreign.status()).isEqualTo(403);
    assertThat(foreign.body().path("error").path("message").asText())
        .contains("backing application of the service principal being created must in the local tenant");
    assertThat(local.status()).isEqualTo(201);
  }

  @Test
  void delete_whenMissing_answers404() {
    assertThat(http.send("DELETE", "/applications/nope", null).status()).isEqualTo(404);
    assertThat(http.send("DELETE", "/servicePrincipals/nope", null).status()).isEqualTo(404);
  }

  @Test
  void failNext_whenThrottled_sendsRetryAfterZeroThenAnswersNormally() {
    graph.failNext("GET", "/v1.0/organization", 429, "Too many requests", 1);

    JsonHttp.Response throttled = http.send("GET", "/organization", null);

    assertThat(throttled.status()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).hasValue("0");
    assertThat(http.send("GET", "/organization", null).status()).isEqualTo(200);
  }
}
