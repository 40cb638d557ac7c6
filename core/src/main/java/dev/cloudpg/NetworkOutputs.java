package dev.cloudpg;

import java.util.List;
import java.util.Map;
import org.immutables.value.Value;

/**
 * What a provisioned {@link Network} is in the cloud: its id, CIDR, subnets and provider-specific attributes. Immutable
 * and thread-safe.
 */
@Value.Immutable
@SpecStyle
public abstract class NetworkOutputs {
  /**
   * The provider's id of the network ({@code vpc-...}, a VNet resource id, a project VPC id).
   *
   * @return the network's id
   */
  public abstract String id();

  /**
   * The network's IPv4 block, as the cloud reports it: the spec's or the one the provider allocated.
   *
   * @return the block in CIDR notation
   */
  public abstract String cidr();

  /**
   * The provider's ids of the subnets made in the network (on AWS, one per zone).
   *
   * @return the subnet ids; empty where the provider makes no subnets
   */
  public abstract List<String> subnetIds();

  /**
   * Further ids, such as {@code securityGroupId} on AWS.
   *
   * @return the values by name, possibly none
   */
  public abstract Map<String, String> attributes();

  /** Made by its builder only; the one subclass is the generated immutable implementation. */
  NetworkOutputs() {}

  /**
   * A builder, for providers assembling outputs.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds {@link NetworkOutputs}; {@code build()} throws {@link IllegalStateException} when the id or the CIDR is
   * missing. Not thread-safe.
   */
  public static final class Builder extends ImmutableNetworkOutputs.Builder {
    Builder() {}
  }
}
