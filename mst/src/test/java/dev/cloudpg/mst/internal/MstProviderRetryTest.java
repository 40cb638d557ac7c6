package dev.cloudpg.mst.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.core.credential.AccessToken;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.management.exception.ManagementError;
import com.azure.core.management.exception.ManagementException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudpg.CloudpgException;
import dev.cloudpg.ProviderException;
import dev.cloudpg.Secret;
import dev.cloudpg.mst.ApplicationCredentials;
import dev.cloudpg.spi.Retry;
import dev.cloudpg.testkit.mst.FakeGraph;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** How the mst provider classifies each kind of failure for the engine's one retry layer. */
class MstProviderRetryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MstProvider provider = new MstProvider(new MstContext("proj", "azure-westeurope",
      AivenClient.create(URI.create("http://127.0.0.1:9/v1"), Secret.of("t")), null, null, null,
      ApplicationCredentials.clientSecret(), null));

  private static ProviderException aiven(int status, Map<String, List<String>> headers) {
    return AivenErrors.fromResponse(status, "{\"message\":\"m\"}",
        java.net.http.HttpHeaders.of(headers, (k, v) -> true), JSON);
  }

  private Retry retryOf(RuntimeException e) {
    return provider.retry(provider.translate(e));
  }

  @Test
  void retry_whenAivenThrottlesOrFailsOnItsSide_isTransient() {
    for (int status : new int[] {429, 500, 502, 503, 504}) {
      assertThat(retryOf(aiven(status, Map.of()))).as("HTTP " + status).matches(Retry::isTransient);
    }
  }

  @Test
  void retry_whenAivenRefusesOrDoesNotImplement_isNever() {
    for (int status : new int[] {400, 401, 403, 404, 409, 501}) {
      assertThat(retryOf(aiven(status, Map.of()))).as("HTTP " + status).matches(Retry::isNever);
    }
  }

  @Test
  void retry_whenAivenAsksToRetryAfter_isTransientWhateverTheStatus() {
    assertThat(retryOf(aiven(409, Map.of("Retry-After", List.of("2"))))).matches(Retry::isTransient);
  }

  @Test
  void retry_whenTheAivenConnectionFails_isTransient() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    AivenClient offline = AivenClient.create(URI.create("http://127.0.0.1:" + port + "/v1"), Secret.of("t"));

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> offline.listVpcs("proj"));

    assertThat(retryOf(e)).matches(Retry::isTransient);
  }

  @Test
  void retry_whenGraphThrottlesOrFailsOnItsSide_isTransient() {
    try (FakeGraph graph = FakeGraph.start()) {
      EntraDirectory directory = EntraDirectory.create(request -> Mono.just(new AccessToken("t",
          OffsetDateTime.now().plusHours(1))), graph.baseUrl());
      graph.failNext("GET", "/v1.0/organization", 429, "Too many requests", 1);
      graph.failNext("GET", "/v1.0/applications", 503, "Service unavailable", 1);

      assertThat(retryOf(catchThrowableOfType(ProviderException.class, directory::tenantId)))
          .matches(Retry::isTransient);
      assertThat(retryOf(catchThrowableOfType(ProviderException.class,
          () -> directory.findApplication("a", "t")))).matches(Retry::isTransient);
    }
  }

  @Test
  void retry_whenGraphDeniesTheRequest_isNever() {
    try (FakeGraph graph = FakeGraph.start()) {
      graph.denyForeignServicePrincipals(true);
      EntraDirectory directory = EntraDirectory.create(request -> Mono.just(new AccessToken("t",
          OffsetDateTime.now().plusHours(1))), graph.baseUrl());

      ProviderException e = catchThrowableOfType(ProviderException.class,
          () -> directory.ensureServicePrincipal("6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"));

      assertThat(e.httpStatus()).isEqualTo(403);
      assertThat(retryOf(e)).matches(Retry::isNever);
    }
  }

  @Test
  void retry_whenGraphDoesNotKnowAnObjectJustMade_isPropagation() {
    try (FakeGraph graph = FakeGraph.start()) {
      EntraDirectory directory = EntraDirectory.create(request -> Mono.just(new AccessToken("t",
          OffsetDateTime.now().plusHours(1))), graph.baseUrl());

      ProviderException e = catchThrowableOfType(ProviderException.class,
          () -> directory.addPassword("made-a-second-ago", "step", Instant.now(), Duration.ofHours(1)));

      assertThat(e.errorCode()).isEqualTo("Request_ResourceNotFound");
      assertThat(retryOf(e)).matches(Retry::isPropagation);
    }
    ProviderException principal = new ProviderException("azure", "Request_BadRequest", "The appId 'x' of the "
        + "service principal does not reference a valid application object.", null, 400, false, null);
    assertThat(retryOf(principal)).matches(Retry::isPropagation);
  }

  @Test
  void retry_whenSignInRefusedWhileAPasswordReplicates_isPropagationAndKeepsOnlyTheCode() {
    ClientAuthenticationException e = new ClientAuthenticationException("AADSTS7000215: Invalid client secret "
        + "provided. Ensure the secret being sent is the client secret value 'Zx8Q~secret-value'.", response(401));

    RuntimeException translated = provider.translate(e);

    assertThat(translated).isInstanceOfSatisfying(ProviderException.class, p -> {
      assertThat(p.errorCode()).isEqualTo("AADSTS7000215");
      assertThat(p.getMessage()).doesNotContain("secret-value");
    });
    assertThat(provider.retry(translated)).matches(Retry::isPropagation)
        .satisfies(r -> assertThat(r.patience()).isEqualTo(MstFailures.PROPAGATION));
  }

  @Test
  void retry_whenSignInRefusedForGood_isNever() {
    assertThat(retryOf(new ClientAuthenticationException("AADSTS50020: User account from identity provider does "
        + "not exist in tenant.", response(400)))).matches(Retry::isNever);
  }

  @Test
  void retry_whenArmRefusesUntilARoleOrPrincipalHasPropagated_isPropagation() {
    assertThat(retryOf(arm(403, "AuthorizationFailed"))).matches(Retry::isPropagation);
    assertThat(retryOf(arm(400, "PrincipalNotFound"))).matches(Retry::isPropagation);
    assertThat(retryOf(arm(403, "LinkedAuthorizationFailed"))).matches(Retry::isPropagation);
  }

  @Test
  void retry_whenArmThrottlesOrFailsOnItsSide_isTransient() {
    assertThat(retryOf(arm(429, "TooManyRequests"))).matches(Retry::isTransient);
    assertThat(retryOf(arm(500, "InternalServerError"))).matches(Retry::isTransient);
    assertThat(retryOf(arm(503, "ServiceUnavailable"))).matches(Retry::isTransient);
  }

  @Test
  void retry_whenArmRefusesTheRequest_isNever() {
    assertThat(retryOf(arm(400, "InvalidRequestFormat"))).matches(Retry::isNever);
    assertThat(retryOf(arm(404, "ResourceNotFound"))).matches(Retry::isNever);
    assertThat(retryOf(arm(501, "NotImplemented"))).matches(Retry::isNever);
  }

  @Test
  void retry_whenNotACloudsRefusal_isNever() {
    assertThat(retryOf(new IllegalStateException("a bug"))).matches(Retry::isNever);
    assertThat(retryOf(new CloudpgException("step 5: the VNet does not exist"))).matches(Retry::isNever);
  }

  @Test
  void translate_whenGivenWhatItTranslated_returnsItUnchanged() {
    RuntimeException once = provider.translate(arm(403, "AuthorizationFailed"));
    RuntimeException signIn = provider.translate(new ClientAuthenticationException("AADSTS700016", response(400)));

    assertThat(provider.translate(once)).isSameAs(once);
    assertThat(provider.translate(signIn)).isSameAs(signIn);
  }

  private static ManagementException arm(int status, String code) {
    return new ManagementException(code + " refused", response(status), new ManagementError(code, code + " refused"));
  }

  private static HttpResponse response(int status) {
    return new StatusOnly(status);
  }

  /** An answer with a status and nothing else, as an SDK exception carries it. */
  private static final class StatusOnly extends HttpResponse {
    private final int status;

    StatusOnly(int status) {
      super(new HttpRequest(HttpMethod.GET, "https://management.azure.com/"));
      this.status = status;
    }

    @Override
    public int getStatusCode() {
      return status;
    }

    @Override
    @Deprecated
    public String getHeaderValue(String name) {
      return null;
    }

    @Override
    public HttpHeaders getHeaders() {
      return new HttpHeaders();
    }

    @Override
    public Flux<ByteBuffer> getBody() {
      return Flux.empty();
    }

    @Override
    public Mono<byte[]> getBodyAsByteArray() {
      return Mono.empty();
    }

    @Override
    public Mono<String> getBodyAsString() {
      return Mono.empty();
    }

    @Override
    public Mono<String> getBodyAsString(Charset charset) {
      return Mono.empty();
    }
  }
}
