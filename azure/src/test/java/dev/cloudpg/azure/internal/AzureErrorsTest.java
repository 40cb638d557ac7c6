package dev.cloudpg.azure.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.management.exception.ManagementError;
import com.azure.core.management.exception.ManagementException;
import dev.cloudpg.CloudpgException;
import dev.cloudpg.ProviderException;
import dev.cloudpg.spi.Retry;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** How Azure and Kubernetes failures are translated and classified for the engine's one retry layer. */
class AzureErrorsTest {
  /** An ARM answer as the SDK throws it. */
  private static ManagementException arm(int status, String code, String message) {
    return new ManagementException(message, new Answer(status), new ManagementError(code, message));
  }

  private static Retry classified(RuntimeException e) {
    return AzureErrors.retry(AzureErrors.translate(e));
  }

  @Test
  void retry_whenThrottledOrAServerError_isTransient() {
    assertThat(classified(arm(429, "TooManyRequests", "slow down")).isTransient()).isTrue();
    assertThat(classified(arm(500, "InternalServerError", "oops")).isTransient()).isTrue();
    assertThat(classified(arm(502, "BadGateway", "gateway")).isTransient()).isTrue();
    assertThat(classified(arm(503, "ServiceUnavailable", "later")).isTransient()).isTrue();
    assertThat(classified(arm(504, "GatewayTimeout", "later")).isTransient()).isTrue();
    assertThat(classified(arm(409, "RetryableError", "try again")).isTransient()).isTrue();
  }

  @Test
  void retry_when501Or505_isNever() {
    assertThat(classified(arm(501, "NotImplemented", "no")).isNever()).isTrue();
    assertThat(classified(arm(505, "HttpVersionNotSupported", "no")).isNever()).isTrue();
  }

  @Test
  void retry_whenTheConnectionIsResetOrTimesOut_isTransient() {
    RuntimeException reset = new UncheckedIOException(new IOException("Connection reset"));
    RuntimeException timeout = new IllegalStateException("no answer", new TimeoutException("read timed out"));

    assertThat(AzureErrors.translate(reset)).isInstanceOfSatisfying(ProviderException.class,
        e -> assertThat(e.errorCode()).isEqualTo("ConnectionError"));
    assertThat(classified(reset).isTransient()).isTrue();
    assertThat(classified(timeout).isTransient()).isTrue();
  }

  @Test
  void retry_whenARoleOrPrincipalHasNotPropagated_isPropagationWithinFifteenMinutes() {
    Retry forbidden = classified(arm(403, "AuthorizationFailed", "The client does not have authorization"));
    Retry principal = classified(arm(400, "PrincipalNotFound", "Principal 0000 does not exist in the directory"));

    assertThat(forbidden.isPropagation()).isTrue();
    assertThat(forbidden.patience()).isEqualTo(Duration.ofMinutes(15));
    assertThat(principal.isPropagation()).isTrue();
    assertThat(principal.patience()).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void retry_whenAksHasAnotherOperationInProgress_isPropagationWithinThirtyMinutes() {
    Retry busy = classified(arm(409, "OperationNotAllowed", "Operation is not allowed because there's an in progress "
        + "create managed cluster operation. Please wait for it to finish before starting a new operation."));
    Retry another = classified(arm(409, "AnotherOperationInProgress", "Another operation is in progress"));

    assertThat(busy.isPropagation()).isTrue();
    assertThat(busy.patience()).isEqualTo(Duration.ofMinutes(30));
    assertThat(another.patience()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void retry_whenOperationNotAllowedForAQuota_isNever() {
    assertThat(classified(arm(409, "OperationNotAllowed", "Operation could not be completed as it results in "
        + "exceeding approved standardDSv3Family Cores quota.")).isNever()).isTrue();
  }

  @Test
  void retry_whenTheRequestIsWrong_isNever() {
    assertThat(classified(arm(400, "InvalidParameter", "The VM size is not allowed")).isNever()).isTrue();
    assertThat(classified(arm(404, "ResourceNotFound", "not found")).isNever()).isTrue();
    assertThat(classified(arm(409, "Conflict", "The resource is being deleted")).isNever()).isTrue();
    assertThat(classified(arm(401, "AuthenticationFailed", "no token")).isNever()).isTrue();
  }

  @Test
  void retry_whenKubernetesConflictsThrottlesOrFails_isTransientAndOtherwiseNever() {
    assertThat(classified(kubernetes(409, "Conflict")).isTransient()).isTrue();
    assertThat(classified(kubernetes(429, "TooManyRequests")).isTransient()).isTrue();
    assertThat(classified(kubernetes(503, "ServiceUnavailable")).isTransient()).isTrue();
    assertThat(classified(new KubernetesClientException("connect timed out", new IOException("timeout")))
        .isTransient()).isTrue();
    assertThat(classified(new KubernetesClientException("could not parse the answer")).isNever()).isTrue();
    assertThat(classified(kubernetes(422, "Invalid")).isNever()).isTrue();
    assertThat(classified(kubernetes(403, "Forbidden")).isNever()).isTrue();
  }

  @Test
  void retry_whenNotAProviderException_isNever() {
    assertThat(AzureErrors.retry(new IllegalStateException("a bug")).isNever()).isTrue();
    assertThat(AzureErrors.retry(new CloudpgException("a conflict")).isNever()).isTrue();
  }

  @Test
  void translate_whenGivenItsOwnResult_returnsItUnchanged() {
    RuntimeException once = AzureErrors.translate(arm(503, "ServiceUnavailable", "later"));

    assertThat(AzureErrors.translate(once)).isSameAs(once);
    assertThat(once).isInstanceOfSatisfying(ProviderException.class, e -> {
      assertThat(e.errorCode()).isEqualTo("ServiceUnavailable");
      assertThat(e.httpStatus()).isEqualTo(503);
      assertThat(e.retryable()).isTrue();
      assertThat(e.requestId()).hasValue("req-1");
    });
    assertThat(((ProviderException) AzureErrors.translate(arm(400, "InvalidParameter", "no"))).retryable()).isFalse();
  }

  @Test
  void providerRetry_whenAsked_classifiesAsAzureErrorsDoes() {
    AzureContext azure = new AzureContext("00000000-0000-0000-0000-000000000001", null, "westus3",
        request -> Mono.just(new AccessToken("t", OffsetDateTime.MAX)), Map.of(), new JdkHttpClientBuilder().build(),
        null, null, null, false);
    AzureProvider provider = new AzureProvider(azure);

    assertThat(provider.retry(provider.translate(arm(403, "AuthorizationFailed", "not yet"))).isPropagation())
        .isTrue();
    assertThat(provider.retry(provider.translate(arm(429, "TooManyRequests", "slow"))).isTransient()).isTrue();
    assertThat(provider.retry(provider.translate(arm(400, "InvalidParameter", "no"))).isNever()).isTrue();
    azure.close();
  }

  private static KubernetesClientException kubernetes(int code, String reason) {
    return new KubernetesClientException(new StatusBuilder().withCode(code).withReason(reason).withMessage(reason)
        .build());
  }

  /** The HTTP answer a {@link ManagementException} carries: a status and a request id. */
  private static final class Answer extends HttpResponse {
    private final int status;

    Answer(int status) {
      super(null);
      this.status = status;
    }

    @Override
    public int getStatusCode() {
      return status;
    }

    @Override
    public String getHeaderValue(String name) {
      return "x-ms-request-id".equalsIgnoreCase(name) ? "req-1" : null;
    }

    @Override
    public HttpHeaders getHeaders() {
      return new HttpHeaders().set("x-ms-request-id", "req-1");
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
