package dev.cloudpg.azure.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.management.exception.ManagementError;
import com.azure.core.management.exception.ManagementException;
import com.azure.identity.CredentialUnavailableException;
import dev.cloudpg.ProviderException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class AzureErrorsTest {
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
      public String getHeaderValue(String name) {
        return name.equalsIgnoreCase("x-ms-request-id") ? "req-7" : null;
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
