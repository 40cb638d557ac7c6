package dev.cloudpg;

import dev.cloudpg.spi.Violations;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * An existing network, not owned by the stack, that a {@link Peering} connects to: typically the application's.
 * Made with one of the factories, then refined with {@code withRegion(..)} or {@code withCidrs(..)}:
 *
 * <pre>{@code
 * PeerNetwork.awsVpc("vpc-0b72").withRegion("us-east-1")
 * PeerNetwork.awsVpcOfInstance("ip-10-0-1-5.eu-west-1.compute.internal")
 * PeerNetwork.azureVnet(subscriptionId, "app-rg", "app-vnet")
 * }</pre>
 *
 * <p>Declared {@link #cidrs()} are checked for overlap with the stack's networks before any cloud call, and, when given,
 * are the only sources allowed into the database port (a machine CIDR rather than the whole VPC, say).
 *
 * <p>Immutable and thread-safe; {@code withRegion(..)} and the other {@code with} methods return a checked copy.
 */
@Value.Immutable
@SpecStyle
public abstract class PeerNetwork implements WithPeerNetwork {

  /** How the peer network is identified. */
  public enum Kind {
    /** An AWS VPC by id. */
    AWS_VPC,
    /** The AWS VPC that carries a tag with the given value. */
    AWS_VPC_BY_TAG,
    /** The AWS VPC of the EC2 instance with the given private DNS name (a Kubernetes worker node, say). */
    AWS_VPC_OF_INSTANCE,
    /** An Azure virtual network by subscription, resource group and name. */
    AZURE_VNET
  }

  /**
   * How the peer network is identified, which decides what {@link #reference()} holds.
   *
   * @return the kind of reference
   */
  public abstract Kind kind();

  /**
   * The VPC id, tag value, instance DNS name or VNet name, depending on {@link #kind()}.
   *
   * @return the reference, never blank
   */
  public abstract String reference();

  /**
   * The tag key for {@link Kind#AWS_VPC_BY_TAG}.
   *
   * @return the tag key, present for {@link Kind#AWS_VPC_BY_TAG}
   */
  public abstract Optional<String> tagKey();

  /**
   * The peer's region when it differs from the stack's.
   *
   * @return the peer's region, or empty for the stack's
   */
  public abstract Optional<String> region();

  /**
   * The Azure subscription of an {@link Kind#AZURE_VNET}.
   *
   * @return the subscription id, present for an {@link Kind#AZURE_VNET}
   */
  public abstract Optional<String> subscription();

  /**
   * The Azure resource group of an {@link Kind#AZURE_VNET}.
   *
   * @return the resource group's name, present for an {@link Kind#AZURE_VNET}
   */
  public abstract Optional<String> resourceGroup();

  /**
   * The Entra tenant of the peer when it differs from the stack's.
   *
   * @return the tenant id, or empty for the stack's
   */
  public abstract Optional<String> tenant();

  /**
   * CIDR blocks of the peer, declared for overlap checks and to narrow database access to them.
   *
   * @return the declared blocks (prefix lengths /8 to /32, no host bits set), possibly none
   */
  public abstract List<String> cidrs();

  /** Made by its factory methods only; the one subclass is the generated immutable implementation. */
  PeerNetwork() {}

  /**
   * An AWS VPC by id ({@code vpc-...}).
   *
   * @param vpcId the VPC's id: {@code vpc-} and 1 to 32 lowercase hexadecimal digits
   * @return the peer network
   * @throws InvalidSpecException if {@code vpcId} is not a VPC id
   */
  public static PeerNetwork awsVpc(String vpcId) {
    return builder().kind(Kind.AWS_VPC).reference(vpcId).build();
  }

  /**
   * The AWS VPC carrying the tag {@code key=value}.
   *
   * @param key the tag's key
   * @param value the tag's value, not blank
   * @return the peer network
   * @throws InvalidSpecException if {@code value} is blank
   */
  public static PeerNetwork awsVpcByTag(String key, String value) {
    return builder().kind(Kind.AWS_VPC_BY_TAG).tagKey(key).reference(value).build();
  }

  /**
   * The AWS VPC of the instance with this private DNS name.
   *
   * @param privateDnsName the EC2 instance's private DNS name, such as {@code ip-10-0-1-5.eu-west-1.compute.internal}
   * @return the peer network
   * @throws InvalidSpecException if {@code privateDnsName} is blank
   */
  public static PeerNetwork awsVpcOfInstance(String privateDnsName) {
    return builder().kind(Kind.AWS_VPC_OF_INSTANCE).reference(privateDnsName).build();
  }

  /**
   * An Azure virtual network.
   *
   * @param subscription the id of the subscription that holds the VNet
   * @param resourceGroup the resource group that holds the VNet
   * @param vnetName the VNet's name, not blank
   * @return the peer network
   * @throws InvalidSpecException if {@code vnetName} is blank
   */
  public static PeerNetwork azureVnet(String subscription, String resourceGroup, String vnetName) {
    return builder().kind(Kind.AZURE_VNET).subscription(subscription).resourceGroup(resourceGroup)
        .reference(vnetName).build();
  }

  /**
   * Checks the peer network when it is made or copied: the reference fits the kind, a tag lookup has its key, an Azure
   * VNet has its subscription and resource group, and the declared CIDR blocks parse. Paths in the violations start
   * with {@code peer}.
   *
   * @throws InvalidSpecException listing every problem found
   */
  @Value.Check
  protected void check() {
    Violations v = new Violations();
    validate(v, "peer");
    v.throwIfAny();
  }

  void validate(Violations v, String path) {
    if (reference().isBlank()) {
      v.add(path + ".reference", reference(), "must not be blank");
    }
    switch (kind()) {
      case AWS_VPC:
        if (!reference().matches("vpc-[0-9a-f]{1,32}")) {
          v.add(path + ".reference", reference(), "is not a VPC id (vpc-...)");
        }
        break;
      case AWS_VPC_BY_TAG:
        if (tagKey().isEmpty()) {
          v.add(path + ".tagKey", "", "is required to find a VPC by tag");
        }
        break;
      case AZURE_VNET:
        if (subscription().isEmpty() || resourceGroup().isEmpty()) {
          v.add(path, reference(), "an Azure VNet needs its subscription and resource group");
        }
        break;
      default:
        break;
    }
    for (int i = 0; i < cidrs().size(); i++) {
      Violations.cidr(v, path + ".cidrs[" + i + "]", cidrs().get(i), 8, 32);
    }
  }

  static Builder builder() {
    return new Builder();
  }

  static final class Builder extends ImmutablePeerNetwork.Builder {}
}
