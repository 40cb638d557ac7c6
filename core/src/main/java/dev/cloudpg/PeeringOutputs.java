package dev.cloudpg;

import java.util.Map;
import org.immutables.value.Value;

/** A provisioned {@link Peering}: the provider's id of the connection and its last known state. */
@Value.Immutable
@SpecStyle
public abstract class PeeringOutputs {
  public abstract String id();

  /** The provider's state of the connection, such as {@code active}. */
  public abstract String state();

  /** Further values, such as the peer's VPC id and CIDR. */
  public abstract Map<String, String> attributes();

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link PeeringOutputs}. */
  public static final class Builder extends ImmutablePeeringOutputs.Builder {}
}
