package dev.cloudpg;

import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * How to reach a provisioned {@link PostgresCluster}: writer and reader endpoints, port, and where its password lives.
 * The password itself never appears here; {@link #connectionUri()} is a {@link Secret} where a provider hands one out.
 */
@Value.Immutable
@SpecStyle
public abstract class DatabaseOutputs {
  /** The host name of the read-write endpoint. */
  public abstract String writerEndpoint();

  /** The host name of the read-only endpoint, where the provider has one. */
  public abstract Optional<String> readerEndpoint();

  public abstract int port();

  /** A reference to the stored master password (a Secrets Manager ARN, a Kubernetes secret name). */
  public abstract Optional<String> secretReference();

  /** A full connection URI with credentials, where the provider gives one. */
  public abstract Optional<Secret> connectionUri();

  /** Further provider-specific values, such as the cluster's resource id. */
  public abstract Map<String, String> attributes();

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link DatabaseOutputs}. */
  public static final class Builder extends ImmutableDatabaseOutputs.Builder {}
}
