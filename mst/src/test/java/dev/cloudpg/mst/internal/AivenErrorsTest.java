package dev.cloudpg.mst.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudpg.ProviderException;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AivenErrorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void fromResponse_whenErrorCodePresent_usesItWithMessageAndRequestId() {
    HttpHeaders headers = HttpHeaders.of(Map.of("X-Request-Id", List.of("req-42")), (k, v) -> true);
    String body = "{\"message\":\"Project VPC does not exist\",\"errors\":[{\"error_code\":\"project_vpc_not_found\","
        + "\"message\":\"Project VPC does not exist\",\"status\":404}]}";

    ProviderException e = AivenErrors.fromResponse(404, body, headers, JSON);

    assertThat(e.provider()).isEqualTo("mst");
    assertThat(e.errorCode()).isEqualTo("project_vpc_not_found");
    assertThat(e.requestId()).hasValue("req-42");
    assertThat(e.getMessage()).contains("Project VPC does not exist");
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void fromResponse_whenBodyIsNotJson_usesStatusName() {
    ProviderException e = AivenErrors.fromResponse(502, "<html>bad gateway</html>",
        HttpHeaders.of(Map.of(), (k, v) -> true), JSON);

    assertThat(e.errorCode()).isEqualTo("BAD_GATEWAY");
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void fromResponse_whenRetryAfterOnAConflict_isRetryable() {
    HttpHeaders headers = HttpHeaders.of(Map.of("Retry-After", List.of("3")), (k, v) -> true);

    ProviderException e = AivenErrors.fromResponse(409, "{\"message\":\"busy\"}", headers, JSON);

    assertThat(e.errorCode()).isEqualTo("CONFLICT");
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void fromResponse_whenMessageHasControlCharacters_escapesThem() {
    ProviderException e = AivenErrors.fromResponse(400, "{\"message\":\"bad\\nforged line\\u001b[31m\"}",
        HttpHeaders.of(Map.of(), (k, v) -> true), JSON);

    assertThat(e.getMessage()).contains("bad\\nforged line\\u001b[31m").doesNotContain("\n").doesNotContain("\u001b");
  }

  @Test
  void fromResponse_whenTokenRefused_addsHowToLogIn() {
    ProviderException e = AivenErrors.fromResponse(401, "{\"message\":\"Invalid token\",\"errors\":[]}",
        HttpHeaders.of(Map.of(), (k, v) -> true), JSON);

    assertThat(e.errorCode()).isEqualTo("UNAUTHORIZED");
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("Invalid token", "AIVEN_TOKEN", "avn user login");
  }

  @Test
  void fromResponse_whenForbidden_addsNoLoginHint() {
    ProviderException e = AivenErrors.fromResponse(403, "{\"message\":\"Service is protected against termination\"}",
        HttpHeaders.of(Map.of(), (k, v) -> true), JSON);

    assertThat(e.getMessage()).contains("protected against termination").doesNotContain("avn user login");
  }
}
