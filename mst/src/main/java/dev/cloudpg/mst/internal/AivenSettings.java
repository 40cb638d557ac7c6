package dev.cloudpg.mst.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudpg.Secret;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the Aiven API is and which token to send, resolved the way Aiven's own tools do.
 *
 * <p>Token: an explicit value, else the environment variable {@code AIVEN_TOKEN}, else {@code auth_token} from the
 * file {@code avn user login} writes, {@code ~/.config/aiven/aiven-credentials.json}.
 *
 * <p>Base URL: an explicit API base, else {@code AIVEN_WEB_URL} followed by {@code /v1}, else
 * {@value #DEFAULT_API_BASE}. {@code AIVEN_WEB_URL} is the server's root, without the API version: {@code avn} and
 * Aiven's Go client both append the version to it, so a value copied from their setup works here unchanged.
 */
public final class AivenSettings {
  /** The public Aiven API, which Managed Service for TimescaleDB also uses. */
  public static final String DEFAULT_API_BASE = "https://api.aiven.io/v1";
  static final String TOKEN_VARIABLE = "AIVEN_TOKEN";
  static final String WEB_URL_VARIABLE = "AIVEN_WEB_URL";
  static final Path CREDENTIALS_FILE = Path.of(".config", "aiven", "aiven-credentials.json");

  private AivenSettings() {}

  /** The API base URL, such as {@code https://api.aiven.io/v1}, without a trailing slash. */
  public static URI apiBase(Optional<URI> explicit, Map<String, String> env) {
    String base = explicit.map(URI::toString)
        .orElseGet(() -> Optional.ofNullable(env.get(WEB_URL_VARIABLE)).filter(s -> !s.isBlank())
            .map(web -> stripSlash(web.strip()) + "/v1")
            .orElse(DEFAULT_API_BASE));
    return URI.create(stripSlash(base));
  }

  /**
   * The API token.
   *
   * @param userHome the directory that holds {@code .config/aiven}, normally {@code user.home}
   * @throws IllegalStateException when no source has one; the message names all three sources
   */
  public static Secret token(Optional<Secret> explicit, Map<String, String> env, Path userHome) {
    if (explicit.isPresent()) {
      return explicit.get();
    }
    String fromEnv = env.get(TOKEN_VARIABLE);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Secret.of(fromEnv.strip());
    }
    Path file = userHome.resolve(CREDENTIALS_FILE);
    return readCredentialsFile(file).orElseThrow(() -> new IllegalStateException(
        "no Aiven API token: pass one explicitly, set the environment variable " + TOKEN_VARIABLE
            + ", or log in with 'avn user login' so that " + file + " holds auth_token"));
  }

  private static Optional<Secret> readCredentialsFile(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode token = new ObjectMapper().readTree(file.toFile()).path("auth_token");
      return token.isTextual() && !token.asText().isBlank() ? Optional.of(Secret.of(token.asText()))
          : Optional.empty();
    } catch (IOException e) {
      // Jackson's parse messages quote the input, which here is a token: name the file only.
      throw new IllegalStateException("cannot read the Aiven credentials file " + file + " as JSON");
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
