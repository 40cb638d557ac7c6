package dev.cloudpg.mst.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudpg.Secret;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AivenSettingsTest {
  @TempDir
  Path home;

  @Test
  void token_whenExplicit_winsOverEnvironmentAndFile() throws Exception {
    writeCredentials("{\"auth_token\":\"from-file\"}");

    Secret token = AivenSettings.token(Optional.of(Secret.of("explicit")), Map.of("AIVEN_TOKEN", "from-env"), home);

    assertThat(token.reveal()).isEqualTo("explicit");
  }

  @Test
  void token_whenOnlyEnvironmentAndFile_takesEnvironment() throws Exception {
    writeCredentials("{\"auth_token\":\"from-file\"}");

    assertThat(AivenSettings.token(Optional.empty(), Map.of("AIVEN_TOKEN", "from-env"), home).reveal())
        .isEqualTo("from-env");
  }

  @Test
  void token_whenOnlyAvnCredentialsFile_readsAuthToken() throws Exception {
    writeCredentials("{\"auth_token\":\"from-file\",\"user_email\":\"a@example.com\"}");

    assertThat(AivenSettings.token(Optional.empty(), Map.of(), home).reveal()).isEqualTo("from-file");
  }

  @Test
  void token_whenNoSource_failsNamingAllThree() {
    assertThatThrownBy(() -> AivenSettings.token(Optional.empty(), Map.of(), home))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("explicitly")
        .hasMessageContaining("AIVEN_TOKEN")
        .hasMessageContaining("aiven-credentials.json");
  }

  @Test
  void token_whenCredentialsFileIsNotJson_failsWithoutQuotingIt() throws Exception {
    writeCredentials("{\"auth_token\": s3cr3t-token");

    assertThatThrownBy(() -> AivenSettings.token(Optional.empty(), Map.of(), home))
        .hasMessageContaining("aiven-credentials.json")
        .satisfies(e -> assertThat(String.valueOf(e.getCause()) + e.getMessage()).doesNotContain("s3cr3t"));
  }

  @Test
  void apiBase_whenNothingSet_isPublicApi() {
    assertThat(AivenSettings.apiBase(Optional.empty(), Map.of())).isEqualTo(URI.create("https://api.aiven.io/v1"));
  }

  @Test
  void apiBase_whenAivenWebUrlSet_appendsV1LikeAvn() {
    assertThat(AivenSettings.apiBase(Optional.empty(), Map.of("AIVEN_WEB_URL", "https://aiven.example.com/")))
        .isEqualTo(URI.create("https://aiven.example.com/v1"));
  }

  @Test
  void apiBase_whenExplicit_takesItAsTheApiBase() {
    assertThat(AivenSettings.apiBase(Optional.of(URI.create("http://127.0.0.1:1234/v1/")),
        Map.of("AIVEN_WEB_URL", "https://ignored"))).isEqualTo(URI.create("http://127.0.0.1:1234/v1"));
  }

  private void writeCredentials(String content) throws Exception {
    Path file = home.resolve(".config/aiven/aiven-credentials.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
