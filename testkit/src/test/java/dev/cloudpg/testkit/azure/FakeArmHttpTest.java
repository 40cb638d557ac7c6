package dev.cloudpg.testkit.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudpg.spi.TimeSource;
import dev.cloudpg.spi.VirtualClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** FakeArm at the HTTP level: what every request needs, ARM's error bodies, deletes and cascades. */
class FakeArmHttpTest {
  private static final String VERSION = "?api-version=2024-03-01";
  private static final String GROUP = "subscriptions/s1/resourceGroups/rg";
  private static final String VNET = GROUP + "/providers/Microsoft.Network/virtualNetworks/vnet";

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final FakeArm arm = FakeArm.builder().duration("microsoft.network/VIRTUALNETWORKS", Duration.ofMinutes(5))
      .build();

  @AfterEach
  void stop() {
    arm.close();
  }

  private HttpResponse<String> send(String method, String path, String body, boolean authorized) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(arm.endpoint() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (authorized) {
      request.header("Authorization", "Bearer any");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return send(method, path, body, true);
  }

  private String code(HttpResponse<String> response) throws Exception {
    return json.readTree(response.body()).at("/error/code").asText();
  }

  @Test
  void request_whenUnauthenticatedOrWithoutApiVersion_isRefused() throws Exception {
    HttpResponse<String> anonymous = send("GET", GROUP + VERSION, null, false);
    HttpResponse<String> unversioned = send("GET", GROUP, null);

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(code(anonymous)).isEqualTo("AuthenticationFailed");
    assertThat(unversioned.statusCode()).isEqualTo(400);
    assertThat(code(unversioned)).isEqualTo("MissingApiVersionParameter");
    assertThat(anonymous.headers().firstValue("x-ms-request-id")).isPresent();
    assertThat(anonymous.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/json"));
  }

  @Test
  void missingThings_whenRead_answerArmErrors() throws Exception {
    send("PUT", GROUP + VERSION, "{\"location\":\"westeurope\"}");

    HttpResponse<String> missing = send("GET", VNET + VERSION, null);
    HttpResponse<String> orphan = send("PUT", VNET + "/virtualNetworkPeerings/p" + VERSION, "{\"properties\":{}}");
    HttpResponse<String> deleted = send("DELETE", VNET + VERSION, null);

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(code(missing)).isEqualTo("ResourceNotFound");
    assertThat(json.readTree(missing.body()).at("/error/message").asText())
        .isEqualTo("The Resource 'Microsoft.Network/virtualNetworks/vnet' under resource group 'rg' was not found.");
    assertThat(orphan.statusCode()).isEqualTo(404);
    assertThat(code(orphan)).isEqualTo("ParentResourceNotFound");
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(send("HEAD", "subscriptions/s1/resourceGroups/nothing" + VERSION, null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void longRunningCreate_whenPolled_finishesAfterItsScaledDuration() throws Exception {
    send("PUT", GROUP + VERSION, "{\"location\":\"westeurope\"}");

    HttpResponse<String> created = send("PUT", VNET.replace("/vnet", "/VNet") + VERSION,
        "{\"location\":\"westeurope\",\"properties\":{\"provisioningState\":\"Succeeded\"}}");
    String operation = created.headers().firstValue("Azure-AsyncOperation").orElseThrow();
    String early = json.readTree(send("GET", operation.substring(arm.endpoint().toString().length()), null).body())
        .path("status").asText();
    Thread.sleep(350);
    JsonNode late = json.readTree(send("GET", operation.substring(arm.endpoint().toString().length()), null)
        .body());

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(json.readTree(created.body()).at("/properties/provisioningState").asText()).isEqualTo("Creating");
    assertThat(operation).startsWith(arm.endpoint() + "subscriptions/s1/providers/Microsoft.Network/locations/"
        + "westeurope/operations/").contains("api-version=2024-03-01");
    assertThat(early).isEqualTo("InProgress");
    assertThat(late.path("status").asText()).isEqualTo("Succeeded");
    assertThat(arm.resource(VNET).orElseThrow().at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
  }

  @Test
  void longRunningCreate_whenOnAVirtualClock_finishesExactlyWhenTheClockHasMovedOnByItsDuration() throws Exception {
    VirtualClock clock = TimeSource.virtual(Instant.parse("2030-01-01T00:00:00Z"));
    try (FakeArm virtual = FakeArm.builder().time(clock)
        .duration("Microsoft.Network/virtualNetworks", Duration.ofMinutes(5)).build()) {
      HttpClient client = HttpClient.newHttpClient();
      String vnet = virtual.endpoint() + VNET + VERSION;
      send(client, "PUT", virtual.endpoint() + GROUP + VERSION, "{\"location\":\"westeurope\"}");
      send(client, "PUT", vnet, "{\"location\":\"westeurope\"}");

      clock.sleep(Duration.ofMinutes(5).minusMillis(1));
      String almost = json.readTree(send(client, "GET", vnet, null)).at("/properties/provisioningState").asText();
      clock.sleep(Duration.ofMillis(1));
      String done = json.readTree(send(client, "GET", vnet, null)).at("/properties/provisioningState").asText();

      assertThat(almost).isEqualTo("Creating");
      assertThat(done).isEqualTo("Succeeded");
      assertThat(virtual.time()).isSameAs(clock);
      Instant start = clock.now().minus(Duration.ofMinutes(5));
      assertThat(virtual.requests()).extracting(ArmRequest::at)
          .containsExactly(start, start, clock.now().minusMillis(1), clock.now());
    }
  }

  private static String send(HttpClient client, String method, String url, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer any")
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void resourceGroupDelete_whenDone_removesEverythingInIt() throws Exception {
    send("PUT", GROUP + VERSION, "{\"location\":\"westeurope\"}");
    send("PUT", GROUP + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id" + VERSION,
        "{\"location\":\"westeurope\"}");

    HttpResponse<String> deleting = send("DELETE", GROUP + VERSION, null);

    assertThat(deleting.statusCode()).isEqualTo(202);
    assertThat(deleting.headers().firstValue("Location")).isPresent();
    assertThat(send("HEAD", GROUP + VERSION, null).statusCode()).isEqualTo(404);
    assertThat(arm.resources("Microsoft.ManagedIdentity/userAssignedIdentities")).isEmpty();
    assertThat(arm.mutatingRequests()).isEqualTo(3);
  }
}
