package dev.cloudpg;

import dev.cloudpg.spi.Violations;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A private network that holds databases: a VPC on AWS, a VNet on Azure, a project VPC on Aiven.
 *
 * <pre>{@code
 * Network.builder().name("db").cidr("192.168.0.0/16").zones(2).build()
 * }</pre>
 *
 * <p>Without a {@link #cidr()}, the provider allocates a block that overlaps no network it can see and no CIDR declared
 * on a peer.
 *
 * <p>Immutable and thread-safe; {@code withName(..)} and the other {@code with} methods return a checked copy.
 */
@Value.Immutable
@SpecStyle
public abstract class Network implements WithNetwork {
  /** Smallest prefix length (largest block) a network may have. */
  public static final int MIN_PREFIX = 16;
  /** Largest prefix length (smallest block) a network may have. */
  public static final int MAX_PREFIX = 28;

  /**
   * The network's name in the stack: a lowercase DNS label of at most 40 characters, unique among the stack's networks.
   *
   * @return the network's name
   */
  public abstract String name();

  /**
   * The IPv4 block in CIDR notation, with a prefix length from {@value #MIN_PREFIX} to {@value #MAX_PREFIX} and no host
   * bits set ({@code 192.168.0.0/16}); allocated by the provider when absent.
   *
   * @return the block, if the spec sets one
   */
  public abstract Optional<String> cidr();

  /**
   * The number of availability zones to spread subnets and database instances over (default 2, at most 6).
   *
   * @return the number of zones, 1 to 6
   */
  @Value.Default
  public int zones() {
    return 2;
  }

  /**
   * Tags added to every resource made for this network, beside the stack's tags.
   *
   * @return the tags, possibly none
   */
  public abstract Map<String, String> tags();

  /**
   * Provider-specific settings, such as {@code AksOptions}; at most one of each type.
   *
   * @return the options, possibly none
   */
  public abstract List<ProviderOptions> options();

  /**
   * The provider option of the given type, if one is attached.
   *
   * @param <T> the option's type
   * @param type the option's class, such as {@code AksOptions.class}
   * @return the option, or empty when none of that type is attached
   */
  public <T extends ProviderOptions> Optional<T> option(Class<T> type) {
    return ProviderOptions.find(options(), type);
  }

  /**
   * The path of this network in a stack, used in validation messages: {@code networks[db]}.
   *
   * @return the path, such as {@code networks[db]}
   */
  public String path() {
    return "networks[" + name() + "]";
  }

  /**
   * Checks the network when it is built or copied: its name, CIDR block, zone count, tags, and that no option type is
   * given twice.
   *
   * @throws InvalidSpecException listing every problem found
   */
  @Value.Check
  protected void check() {
    Violations v = new Violations();
    validate(v);
    v.throwIfAny();
  }

  void validate(Violations v) {
    Violations.dnsLabel(v, path() + ".name", name(), 40);
    cidr().ifPresent(c -> Violations.cidr(v, path() + ".cidr", c, MIN_PREFIX, MAX_PREFIX));
    if (zones() < 1 || zones() > 6) {
      v.add(path() + ".zones", zones(), "must be between 1 and 6");
    }
    Violations.tags(v, path() + ".tags", tags());
    ProviderOptions.checkUnique(v, path() + ".options", options());
  }

  /** Made by its builder only; the one subclass is the generated immutable implementation. */
  Network() {}

  /**
   * A builder with the defaults above.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a {@link Network}; {@code build()} checks it and throws {@link InvalidSpecException} listing every problem.
   * The {@code name} is required: {@code build()} throws {@link IllegalStateException} without it. Not thread-safe.
   */
  public static final class Builder extends ImmutableNetwork.Builder {
    Builder() {}
  }
}
