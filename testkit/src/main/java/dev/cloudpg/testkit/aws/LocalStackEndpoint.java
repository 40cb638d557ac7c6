package dev.cloudpg.testkit.aws;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A LocalStack container started through Testcontainers' LocalStack module, for EC2 networking tests where a Docker
 * engine runs:
 *
 * <pre>{@code
 * try (LocalStackEndpoint localStack = LocalStackEndpoint.start()) {   // needs LOCALSTACK_AUTH_TOKEN
 *   Ec2Client ec2 = Ec2Client.builder().endpointOverride(localStack.endpoint()).region(Region.EU_WEST_1)...
 * }
 * }</pre>
 *
 * <p>Only {@link AwsService#EC2} is served: RDS and Aurora are not in LocalStack's free edition, so tests that need
 * them use {@code moto_server} ({@link MotoServer}). Since March 2026 the LocalStack image needs an auth token
 * ({@value #AUTH_TOKEN_VARIABLE}, free with a LocalStack account). Add {@value #MODULE} to your test dependencies to
 * use this class; without it the rest of the testkit works as before, and {@link #unavailableReason()} says so.
 * {@link AwsEndpointExtension} starts one by itself for tests declared {@code @WithAwsEndpoint(services = EC2)} when
 * there is no {@code moto_server}.
 *
 * <p>Thread-safe; {@link #close()} once, when the tests are done with it.
 */
public final class LocalStackEndpoint implements AutoCloseable {
  /** The environment variable holding the LocalStack auth token the image needs. */
  public static final String AUTH_TOKEN_VARIABLE = "LOCALSTACK_AUTH_TOKEN";
  /** The environment variable naming another image (same repository, another tag) to run. */
  public static final String IMAGE_VARIABLE = "CLOUDPG_LOCALSTACK_IMAGE";
  /** The image run unless {@value #IMAGE_VARIABLE} names another. */
  public static final String DEFAULT_IMAGE = "localstack/localstack:2026.09.0";
  /** The Maven coordinates of the Testcontainers module this class needs, for messages. */
  public static final String MODULE = "org.testcontainers:testcontainers-localstack";
  /** The services this endpoint serves. */
  public static final Set<AwsService> SERVICES = Set.copyOf(EnumSet.of(AwsService.EC2));

  private static final String MODULE_CLASS = "org.testcontainers.localstack.LocalStackContainer";

  private final URI endpoint;
  private final AutoCloseable container;

  private LocalStackEndpoint(URI endpoint, AutoCloseable container) {
    this.endpoint = endpoint;
    this.container = container;
  }

  /**
   * Why {@link #start()} cannot work here, if it cannot: no {@value #AUTH_TOKEN_VARIABLE}, no {@value #MODULE} on the
   * class path, or no Docker engine that answers. Quick when there is no engine: it looks for one itself (within
   * {@code DockerProbe.TIMEOUT}) before asking Testcontainers.
   *
   * @return the reason, for a skipped test's message; empty when {@link #start()} should work
   */
  public static Optional<String> unavailableReason() {
    return EndpointChoice.localStackProblem(EndpointChoice.realInputs(System.getenv()));
  }

  /**
   * Starts {@value #DEFAULT_IMAGE} (or the image in {@value #IMAGE_VARIABLE}) with the token in
   * {@value #AUTH_TOKEN_VARIABLE} and waits until it is ready.
   *
   * @return the running endpoint, which the caller closes
   * @throws IllegalStateException when the token is not set or the Testcontainers module is missing; Testcontainers'
   *     own exceptions when the container does not start
   */
  public static LocalStackEndpoint start() {
    Map<String, String> environment = System.getenv();
    String token = environment.get(AUTH_TOKEN_VARIABLE);
    if (token == null || token.isBlank()) {
      throw new IllegalStateException(AUTH_TOKEN_VARIABLE + " is not set: LocalStack's image needs an auth token");
    }
    String image = environment.get(IMAGE_VARIABLE);
    return start(image == null || image.isBlank() ? DEFAULT_IMAGE : image.trim(), token.trim());
  }

  /**
   * Starts the given LocalStack image (repository {@code localstack/localstack} or {@code localstack/localstack-pro})
   * with the given auth token, serving EC2, and waits until it is ready.
   *
   * @param image the image to run, such as {@value #DEFAULT_IMAGE}
   * @param authToken the LocalStack auth token
   * @return the running endpoint, which the caller closes
   * @throws IllegalStateException when the Testcontainers module is missing; Testcontainers' own exceptions when the
   *     container does not start
   * @throws NullPointerException if {@code image} or {@code authToken} is null
   */
  public static LocalStackEndpoint start(String image, String authToken) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(authToken, "authToken");
    if (!moduleOnClassPath()) {
      throw new IllegalStateException("LocalStack needs Testcontainers' LocalStack module: add " + MODULE
          + " to the test dependencies");
    }
    String services = SERVICES.stream().map(s -> s.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(","));
    LocalStackContainers.Started started = LocalStackContainers.start(image, authToken, services);
    return new LocalStackEndpoint(started.endpoint(), started.container());
  }

  /** Whether Testcontainers' LocalStack module can be loaded, without loading it. */
  static boolean moduleOnClassPath() {
    try {
      Class.forName(MODULE_CLASS, false, LocalStackEndpoint.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * The endpoint of every service LocalStack emulates, {@code http://<docker host>:<port>}.
   *
   * @return the endpoint's base URI
   */
  public URI endpoint() {
    return endpoint;
  }

  /**
   * Forgets every resource LocalStack holds ({@code POST /_localstack/state/reset}).
   *
   * @throws IllegalStateException when LocalStack cannot be reached or answers with a status other than 2xx
   */
  public void reset() {
    try {
      HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/_localstack/state/reset").toURL()
          .openConnection();
      c.setRequestMethod("POST");
      c.setConnectTimeout(10_000);
      c.setReadTimeout(60_000);
      c.setDoOutput(true);
      c.getOutputStream().close();
      int status = c.getResponseCode();
      if (status / 100 != 2) {
        throw new IllegalStateException("LocalStack answered the reset with HTTP " + status);
      }
      c.getInputStream().close();
    } catch (IOException e) {
      throw new IllegalStateException("could not reset LocalStack at " + endpoint + ": " + e.getMessage(), e);
    }
  }

  /**
   * Stops and removes the container.
   *
   * @throws IllegalStateException when the container cannot be stopped
   */
  @Override
  public void close() {
    try {
      container.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop LocalStack at " + endpoint + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "LocalStack at " + endpoint;
  }
}
