package dev.cloudpg.testkit.aws;

import java.net.URI;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Which endpoint serves tests that need some AWS services, or why none can: a function of its {@link Inputs} alone,
 * so that every combination can be tested without moto, Docker or LocalStack. The order is {@code
 * CLOUDPG_AWS_ENDPOINT}, then {@code moto_server} on the {@code PATH}, then LocalStack when it covers every needed
 * service, an auth token is set, its Testcontainers module is on the class path and a Docker engine answers.
 */
final class EndpointChoice {
  /** What serves the tests. */
  enum Source {
    EXPLICIT,
    MOTO,
    LOCALSTACK,
    /** Nothing: the tests are skipped, or failed under {@code CI=true}. */
    NONE
  }

  /** The environment variable CI services set; {@code true} turns a missing endpoint into a failure. */
  static final String CI_VARIABLE = "CI";

  /**
   * What the choice depends on. {@code dockerProblem} is asked only when LocalStack is the last option left, since
   * it talks to the Docker socket: empty when an engine answers, else why not.
   */
  record Inputs(Map<String, String> environment, boolean motoOnPath, boolean localStackModuleOnClassPath,
      Supplier<Optional<String>> dockerProblem) {
    Inputs {
      environment = Map.copyOf(environment);
      Objects.requireNonNull(dockerProblem, "dockerProblem");
    }

    /** The value of a variable, or null when it is unset or blank. */
    String variable(String name) {
      String value = environment.get(name);
      return value == null || value.isBlank() ? null : value.trim();
    }
  }

  private final Source source;
  private final URI explicit;
  private final String reason;
  private final boolean fails;

  private EndpointChoice(Source source, URI explicit, String reason, boolean fails) {
    this.source = source;
    this.explicit = explicit;
    this.reason = reason;
    this.fails = fails;
  }

  Source source() {
    return source;
  }

  /** The endpoint named by {@code CLOUDPG_AWS_ENDPOINT}, for {@link Source#EXPLICIT}. */
  URI explicit() {
    return explicit;
  }

  boolean available() {
    return source != Source.NONE;
  }

  /** Why there is no endpoint and what to install, for {@link Source#NONE}; null otherwise. */
  String reason() {
    return reason;
  }

  /** Whether the tests fail rather than being skipped: {@code CI=true}, or an endpoint variable that is no URI. */
  boolean fails() {
    return fails;
  }

  /**
   * The inputs of this machine: the given environment, {@code moto_server} looked up on the {@code PATH}, the
   * Testcontainers module looked up on the class path, and the Docker check ({@link DockerProbe}, then
   * Testcontainers' own) made once, when first asked.
   */
  static Inputs realInputs(Map<String, String> environment) {
    boolean module = LocalStackEndpoint.moduleOnClassPath();
    Path home = Path.of(System.getProperty("user.home", "/"));
    return new Inputs(environment, MotoServer.findExecutable().isPresent(), module,
        new Once<>(() -> dockerProblem(environment, home, module)));
  }

  private static Optional<String> dockerProblem(Map<String, String> environment, Path home, boolean module) {
    Optional<String> problem = DockerProbe.problem(environment, home, List.of(DockerProbe.SYSTEM_SOCKET));
    if (problem.isPresent() || !module) {
      return problem;
    }
    // only now may Testcontainers' classes load: the module is there and something listens
    return LocalStackContainers.dockerAvailable() ? Optional.empty()
        : Optional.of("Testcontainers found no usable Docker environment (its log says why)");
  }

  static EndpointChoice decide(Set<AwsService> needed, Inputs inputs) {
    Set<AwsService> services = needed.isEmpty() ? EnumSet.allOf(AwsService.class) : EnumSet.copyOf(needed);
    boolean ci = "true".equalsIgnoreCase(inputs.variable(CI_VARIABLE));
    String explicit = inputs.variable(AwsEndpointExtension.ENDPOINT_VARIABLE);
    if (explicit != null) {
      Optional<URI> uri = endpointUri(explicit);
      if (uri.isPresent()) {
        return new EndpointChoice(Source.EXPLICIT, uri.get(), null, false);
      }
      return new EndpointChoice(Source.NONE, null, AwsEndpointExtension.ENDPOINT_VARIABLE + "=\"" + explicit
          + "\" is not an http or https URI such as http://127.0.0.1:5000", true);
    }
    if (inputs.motoOnPath()) {
      return new EndpointChoice(Source.MOTO, null, null, false);
    }
    boolean localStackCovers = LocalStackEndpoint.SERVICES.containsAll(services);
    Optional<String> localStackProblem = localStackCovers ? localStackProblem(inputs) : Optional.empty();
    if (localStackCovers && localStackProblem.isEmpty()) {
      return new EndpointChoice(Source.LOCALSTACK, null, null, false);
    }

    StringBuilder why = new StringBuilder("no AWS endpoint for tests that need ").append(names(services))
        .append(": ").append(AwsEndpointExtension.ENDPOINT_VARIABLE).append(" is not set and ")
        .append(MotoServer.COMMAND).append(" is not on the PATH; ");
    if (localStackCovers) {
      why.append("LocalStack cannot be used: ").append(localStackProblem.get());
    } else {
      Set<AwsService> missing = EnumSet.copyOf(services);
      missing.removeAll(LocalStackEndpoint.SERVICES);
      why.append("LocalStack cannot stand in, since its free edition has no ").append(names(missing));
    }
    why.append(". To run them, install moto's server (").append(MotoServer.INSTALL_HINT).append(") so that ")
        .append(MotoServer.COMMAND).append(" is on the PATH");
    if (localStackCovers) {
      why.append(", or run a Docker engine and set ").append(LocalStackEndpoint.AUTH_TOKEN_VARIABLE)
          .append(" (with ").append(LocalStackEndpoint.MODULE).append(" on the test class path) for LocalStack");
    }
    why.append(", or set ").append(AwsEndpointExtension.ENDPOINT_VARIABLE).append(" to an AWS-compatible endpoint");
    if (ci) {
      why.append(". " + CI_VARIABLE + "=true, so these tests fail instead of being skipped");
    }
    return new EndpointChoice(Source.NONE, null, why.toString(), ci);
  }

  /**
   * Why LocalStack cannot be started here, checking the cheap things first: the auth token, the Testcontainers
   * module, then (only if both are there) the Docker engine.
   */
  static Optional<String> localStackProblem(Inputs inputs) {
    if (inputs.variable(LocalStackEndpoint.AUTH_TOKEN_VARIABLE) == null) {
      return Optional.of(LocalStackEndpoint.AUTH_TOKEN_VARIABLE + " is not set (LocalStack's image needs an auth "
          + "token since March 2026)");
    }
    if (!inputs.localStackModuleOnClassPath()) {
      return Optional.of("Testcontainers' LocalStack module (" + LocalStackEndpoint.MODULE
          + ") is not on the class path");
    }
    return inputs.dockerProblem().get();
  }

  private static Optional<URI> endpointUri(String value) {
    try {
      URI uri = new URI(value);
      boolean web = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
      return web && uri.getHost() != null ? Optional.of(uri) : Optional.empty();
    } catch (java.net.URISyntaxException e) {
      return Optional.empty();
    }
  }

  private static String names(Set<AwsService> services) {
    return services.stream().map(Enum::name).collect(Collectors.joining(" and "));
  }

  /** A supplier that asks its source once. */
  private static final class Once<T> implements Supplier<T> {
    private final Supplier<T> source;
    private T value;

    Once(Supplier<T> source) {
      this.source = source;
    }

    @Override
    public synchronized T get() {
      if (value == null) {
        value = source.get();
      }
      return value;
    }
  }

  @Override
  public String toString() {
    return source + (explicit != null ? " " + explicit : "") + (reason != null ? ": " + reason : "");
  }
}
