package dev.cloudpg.testkit.aws;

import java.net.URI;
import java.util.Objects;

/**
 * An AWS-compatible endpoint for a test, given by {@link AwsEndpointExtension}: its URI, the region to use, and what
 * serves it. Point an SDK client or an {@code AwsCloud} at it with any static credentials:
 *
 * <pre>{@code
 * AwsCloud.builder().region(aws.region()).endpointOverride(aws.uri())
 *     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #reset()} acts on the emulator, not on this object.
 */
public final class AwsEndpoint {
  /** What serves the endpoint. */
  public enum Kind {
    /** The endpoint named by {@code CLOUDPG_AWS_ENDPOINT}. */
    EXPLICIT,
    /** A {@code moto_server} started for the test run. */
    MOTO,
    /** A LocalStack container started through Testcontainers for the test run (EC2 only). */
    LOCALSTACK
  }

  private final URI uri;
  private final String region;
  private final Kind kind;
  private final Runnable reset;

  AwsEndpoint(URI uri, String region, Kind kind, Runnable reset) {
    this.uri = Objects.requireNonNull(uri, "uri");
    this.region = Objects.requireNonNull(region, "region");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.reset = Objects.requireNonNull(reset, "reset");
  }

  /**
   * The endpoint of every AWS service.
   *
   * @return the endpoint's base URI, such as {@code http://127.0.0.1:5000}
   */
  public URI uri() {
    return uri;
  }

  /**
   * The region tests should use: {@code CLOUDPG_AWS_REGION}, {@code eu-west-1} by default.
   *
   * @return the region's name
   */
  public String region() {
    return region;
  }

  /**
   * What serves the endpoint: an explicit endpoint, a {@code moto_server} or a LocalStack container.
   *
   * @return the kind of endpoint
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Forgets everything the emulator holds, when the extension started it; does nothing for an explicit endpoint,
   * which may be shared. The extension resets before each test class.
   */
  public void reset() {
    reset.run();
  }

  @Override
  public String toString() {
    return kind + " " + uri + " (" + region + ")";
  }
}
