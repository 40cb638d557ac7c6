package dev.cloudpg;

import java.util.Map;
import org.immutables.value.Value;

/**
 * A provisioned {@link Peering}: the provider's id of the connection and its last known state. Immutable and
 * thread-safe.
 */
@Value.Immutable
@SpecStyle
public abstract class PeeringOutputs {
  /**
   * The provider's id of the connection ({@code pcx-...} on AWS, a peering resource id on Azure).
   *
   * @return the connection's id
   */
  public abstract String id();

  /**
   * The provider's state of the connection, such as {@code active}.
   *
   * @return the state, as the provider words it
   */
  public abstract String state();

  /**
   * Further values, such as the peer's VPC id and CIDR.
   *
   * @return the values by name, possibly none
   */
  public abstract Map<String, String> attributes();

  /** Made by its builder only; the one subclass is the generated immutable implementation. */
  PeeringOutputs() {}

  /**
   * A builder, for providers assembling outputs.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds {@link PeeringOutputs}; {@code build()} throws {@link IllegalStateException} when the id or the state is
   * missing. Not thread-safe.
   */
  public static final class Builder extends ImmutablePeeringOutputs.Builder {
    Builder() {}
  }
}
