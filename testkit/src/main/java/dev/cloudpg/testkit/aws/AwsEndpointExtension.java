package dev.cloudpg.testkit.aws;

import java.net.URI;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a JUnit 5 test an {@link AwsEndpoint} (as a parameter of test, lifecycle or constructor methods): the endpoint
 * in the environment variable {@code CLOUDPG_AWS_ENDPOINT} if set; else a {@code moto_server} from the {@code PATH},
 * started once per test run on a free loopback port, reset before each test class and stopped at the end of the
 * run; else the test class is skipped with a message saying what to install. Use it through
 * {@link WithAwsEndpoint}.
 *
 * <p>LocalStack is not tried: its free edition lacks RDS, and since 2026 its image needs an auth token; point
 * {@code CLOUDPG_AWS_ENDPOINT} at a LocalStack you run to use it for networking tests.
 */
public final class AwsEndpointExtension implements BeforeAllCallback, ParameterResolver {
  /** The environment variable naming an endpoint to use instead of starting moto. */
  public static final String ENDPOINT_VARIABLE = "CLOUDPG_AWS_ENDPOINT";
  /** The environment variable naming the region tests use (default {@code eu-west-1}). */
  public static final String REGION_VARIABLE = "CLOUDPG_AWS_REGION";

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
      AwsEndpointExtension.class);

  /** The endpoint of the run, or why there is none; closed (moto stopped) when the run ends. */
  private static final class Provided implements AutoCloseable {
    final AwsEndpoint endpoint;
    final MotoServer moto;
    final String missing;

    Provided(AwsEndpoint endpoint, MotoServer moto, String missing) {
      this.endpoint = endpoint;
      this.moto = moto;
      this.missing = missing;
    }

    @Override
    public void close() {
      if (moto != null) {
        moto.close();
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    Provided provided = provided(context);
    Assumptions.assumeTrue(provided.missing == null, () -> provided.missing);
    provided.endpoint.reset();
  }

  private static Provided provided(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Provided.class, k -> provide(),
        Provided.class);
  }

  private static Provided provide() {
    String region = System.getenv().getOrDefault(REGION_VARIABLE, "eu-west-1");
    String explicit = System.getenv(ENDPOINT_VARIABLE);
    if (explicit != null && !explicit.isBlank()) {
      return new Provided(new AwsEndpoint(URI.create(explicit.trim()), region, AwsEndpoint.Kind.EXPLICIT, null),
          null, null);
    }
    if (MotoServer.findExecutable().isEmpty()) {
      return new Provided(null, null, "no AWS endpoint for this test: set " + ENDPOINT_VARIABLE + " to an "
          + "AWS-compatible endpoint, or install moto's server (" + MotoServer.INSTALL_HINT + ") so that "
          + MotoServer.COMMAND + " is on the PATH");
    }
    MotoServer moto = MotoServer.start();
    return new Provided(new AwsEndpoint(moto.endpoint(), region, AwsEndpoint.Kind.MOTO, moto), moto, null);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == AwsEndpoint.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Provided provided = provided(context);
    Assumptions.assumeTrue(provided.missing == null, () -> provided.missing);
    return provided.endpoint;
  }
}
