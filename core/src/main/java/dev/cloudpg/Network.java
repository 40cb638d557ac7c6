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
 */
@Value.Immutable
@SpecStyle
public abstract class Network implements WithNetwork {
  /** Smallest prefix length (largest block) a network may have. */
  public static final int MIN_PREFIX = 16;
  /** Largest prefix length (smallest block) a network may have. */
  public static final int MAX_PREFIX = 28;

  /** The network's name in the stack: a lowercase DNS label, unique among the stack's networks. */
  public abstract String name();

  /** The IPv4 block in CIDR notation; allocated by the provider when absent. */
  public abstract Optional<String> cidr();

  /** The number of availability zones to spread subnets and database instances over (default 2). */
  @Value.Default
  public int zones() {
    return 2;
  }

  /** Tags added to every resource made for this network, beside the stack's tags. */
  public abstract Map<String, String> tags();

  /** Provider-specific settings, such as {@code AksOptions}; at most one of each type. */
  public abstract List<ProviderOptions> options();

  /** The provider option of the given type, if one is attached. */
  public <T extends ProviderOptions> Optional<T> option(Class<T> type) {
    return ProviderOptions.find(options(), type);
  }

  /** The path of this network in a stack, used in validation messages: {@code networks[db]}. */
  public String path() {
    return "networks[" + name() + "]";
  }

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

  /** A builder with the defaults above. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Network}; {@code build()} throws {@link InvalidSpecException} listing every problem. */
  public static final class Builder extends ImmutableNetwork.Builder {}
}
