package dev.cloudpg.azure.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.management.exception.ManagementError;
import com.azure.core.management.exception.ManagementException;
import com.azure.identity.CredentialUnavailableException;
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
    return new ManagementException(message, status(status), new ManagementError(code, message));
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
      assertThat(e.requestId()).hasValue("req-7");
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

  /** The message of DefaultAzureCredential with no login anywhere, as the SDK writes it, shortened. */
  private static final String DEFAULT_CREDENTIAL_MESSAGE = "EnvironmentCredential authentication unavailable. "
      + "Environment variables are not fully configured.To mitigate this issue, please refer to the troubleshooting "
      + "guidelines here at https://aka.ms/azsdk/java/identity/environmentcredential/troubleshoot\r\n"
      + "WorkloadIdentityCredential authentication unavailable. The workload options are not fully configured.\r\n"
      + "ManagedIdentityCredential authentication unavailable. Connection to IMDS endpoint cannot be established, "
      + "Network is unreachable.\r\n"
      + "IntelliJ authentication not available. Please login with the Azure Toolkit for IntelliJ.\r\n"
      + "AzureCliCredential authentication unavailable. Azure CLI not installed.\r\n"
      + "Encountered error when deserializing response from Azure Power Shell.\r\n"
      + "AzureDeveloperCliCredential authentication unavailable. Azure Developer CLI not installed.To mitigate this "
      + "issue, please refer to the troubleshooting guidelines here at "
      + "https://aka.ms/azure-identity-java-default-azure-credential-troubleshoot";

  private static HttpResponse status(int code) {
    return new HttpResponse(new HttpRequest(HttpMethod.GET, "https://management.azure.com/subscriptions")) {
      @Override
      public int getStatusCode() {
        return code;
      }

      @Override
      @SuppressWarnings("deprecation") // abstract in HttpResponse, so a stub must still implement it
      public String getHeaderValue(String name) {
        return getHeaderValue(HttpHeaderName.fromString(name));
      }

      @Override
      public String getHeaderValue(HttpHeaderName name) {
        return name.equals(HttpHeaderName.X_MS_REQUEST_ID) ? "req-7" : null;
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
    };
  }

  @Test
  void translate_whenDefaultCredentialFindsNoLogin_namesWhatItTriedAndHowToLogIn() {
    CredentialUnavailableException none = new CredentialUnavailableException(DEFAULT_CREDENTIAL_MESSAGE);

    RuntimeException e = AzureErrors.translate(none);

    assertThat(e).isInstanceOfSatisfying(ProviderException.class, p -> {
      assertThat(p.errorCode()).isEqualTo("CredentialUnavailable");
      assertThat(p.retryable()).isFalse();
      assertThat(p.getCause()).isSameAs(none);
      assertThat(p.getMessage()).contains("DefaultAzureCredential found no Azure login",
          "AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET", "managed identity", "the Azure CLI",
          "Azure PowerShell", "the Azure Developer CLI", "az login").doesNotContain("aka.ms", "\n")
          .hasSizeLessThan(600);
      assertThat(p.getMessage().indexOf("managed identity")).isLessThan(p.getMessage().indexOf("the Azure CLI"));
    });
  }

  @Test
  void translate_whenOneCredentialHasNoLogin_quotesItsFirstLineWithTheHint() {
    RuntimeException e = AzureErrors.translate(
        new CredentialUnavailableException("Azure CLI not installed.\r\nSecond line"));

    assertThat(e.getMessage()).contains("the Azure credential has no login to use: Azure CLI not installed.",
        "az login").doesNotContain("Second line");
  }

  @Test
  void translate_whenSignInRefused_isAuthenticationFailedAndNotRetried() {
    RuntimeException e = AzureErrors.translate(new ClientAuthenticationException(
        "AADSTS7000215: Invalid client secret provided.", status(401)));

    assertThat(e).isInstanceOfSatisfying(ProviderException.class, p -> {
      assertThat(p.errorCode()).isEqualTo("AuthenticationFailed");
      assertThat(p.httpStatus()).isEqualTo(401);
      assertThat(p.retryable()).isFalse();
      assertThat(p.getMessage()).contains("AADSTS7000215", "AZURE_CLIENT_SECRET");
    });
  }

  @Test
  void translate_whenArmRefusesTheToken_keepsItsCodeAndAddsHowToLogIn() {
    ManagementException expired = new ManagementException("expired", status(401),
        new ManagementError("ExpiredAuthenticationToken", "The access token expiry UTC time is earlier than now."));

    ProviderException p = (ProviderException) AzureErrors.translate(expired);

    assertThat(p.errorCode()).isEqualTo("ExpiredAuthenticationToken");
    assertThat(p.requestId()).hasValue("req-7");
    assertThat(p.getMessage()).contains("earlier than now", "az login");
  }

  @Test
  void translate_whenRoleNotYetPropagated_staysRetryableWithoutLoginHint() {
    ManagementException denied = new ManagementException("denied", status(403),
        new ManagementError("AuthorizationFailed", "The client does not have authorization."));

    ProviderException p = (ProviderException) AzureErrors.translate(denied);

    assertThat(p.retryable()).isTrue();
    assertThat(p.getMessage()).doesNotContain("az login");
  }
}
