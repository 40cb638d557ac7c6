package dev.cloudpg;

import java.util.List;
import java.util.Map;
import org.immutables.value.Value;

/** What a provisioned {@link Network} is in the cloud: its id, CIDR, subnets and provider-specific attributes. */
@Value.Immutable
@SpecStyle
public abstract class NetworkOutputs {
  /** The provider's id of the network ({@code vpc-...}, a VNet resource id, a project VPC id). */
  public abstract String id();

  public abstract String cidr();

  public abstract List<String> subnetIds();

  /** Further ids, such as {@code securityGroupId} on AWS. */
  public abstract Map<String, String> attributes();

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link NetworkOutputs}. */
  public static final class Builder extends ImmutableNetworkOutputs.Builder {}
}
