package dev.cloudpg;

import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * How to reach a provisioned {@link PostgresCluster}: writer and reader endpoints, port, and where its password lives.
 * The password itself never appears here; {@link #connectionUri()} is a {@link Secret} where a provider hands one out.
 *
 * <p>Immutable and thread-safe.
 */
@Value.Immutable
@SpecStyle
public abstract class DatabaseOutputs {
  /**
   * The host name of the read-write endpoint.
   *
   * @return the writer's host name, without the port
   */
  public abstract String writerEndpoint();

  /**
   * The host name of the read-only endpoint, where the provider has one.
   *
   * @return the readers' host name, or empty when the provider has no reader endpoint
   */
  public abstract Optional<String> readerEndpoint();

  /**
   * The port clients connect to, on both endpoints.
   *
   * @return the TCP port
   */
  public abstract int port();

  /**
   * A reference to the stored master password (a Secrets Manager ARN, a Kubernetes secret name).
   *
   * @return the reference, or empty where the provider stores no password of its own (it may give a
   *     {@link #connectionUri()} instead)
   */
  public abstract Optional<String> secretReference();

  /**
   * A full connection URI with credentials, where the provider gives one.
   *
   * @return the URI as a secret, or empty
   */
  public abstract Optional<Secret> connectionUri();

  /**
   * Further provider-specific values, such as the cluster's resource id.
   *
   * @return the values by name, possibly none
   */
  public abstract Map<String, String> attributes();

  /** Made by its builder only; the one subclass is the generated immutable implementation. */
  DatabaseOutputs() {}

  /**
   * A builder, for providers assembling outputs.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds {@link DatabaseOutputs}; {@code build()} throws {@link IllegalStateException} when the writer endpoint or
   * the port is missing. Not thread-safe.
   */
  public static final class Builder extends ImmutableDatabaseOutputs.Builder {
    Builder() {}
  }
}
