package dev.cloudpg;

import dev.cloudpg.spi.Violations;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A private connection between a stack network and an existing {@link PeerNetwork}: the peering itself, routes both
 * ways, and access to the database port from the peer's CIDR blocks only. Nothing is exposed to the internet.
 *
 * <pre>{@code
 * Peering.builder().name("rosa").network("db").peer(PeerNetwork.awsVpc("vpc-0b72")).allowPort(5432).build()
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@code withName(..)} and the other {@code with} methods return a checked copy.
 */
@Value.Immutable
@SpecStyle
public abstract class Peering implements WithPeering {
  /**
   * The peering's name: a lowercase DNS label of at most 40 characters, unique among the stack's peerings.
   *
   * @return the peering's name
   */
  public abstract String name();

  /**
   * The name of the stack network to connect.
   *
   * @return the name of one of the stack's {@link Stack#networks()}
   */
  public abstract String network();

  /**
   * The network on the other side.
   *
   * @return the peer network
   */
  public abstract PeerNetwork peer();

  /**
   * The TCP port the peer may reach (default 5432, PostgreSQL's).
   *
   * @return the port, 1 to 65535
   */
  @Value.Default
  public int allowPort() {
    return 5432;
  }

  /**
   * Tags added to every resource made for this peering, beside the stack's tags.
   *
   * @return the tags, possibly none
   */
  public abstract Map<String, String> tags();

  /**
   * Provider-specific settings; at most one of each type.
   *
   * @return the options, possibly none
   */
  public abstract List<ProviderOptions> options();

  /**
   * The provider option of the given type, if one is attached.
   *
   * @param <T> the option's type
   * @param type the option's class
   * @return the option, or empty when none of that type is attached
   */
  public <T extends ProviderOptions> Optional<T> option(Class<T> type) {
    return ProviderOptions.find(options(), type);
  }

  /**
   * The path of this peering in a stack, used in validation messages: {@code peerings[rosa]}.
   *
   * @return the path, such as {@code peerings[rosa]}
   */
  public String path() {
    return "peerings[" + name() + "]";
  }

  /**
   * Checks the peering when it is built or copied: its name, its peer network, the port, tags, and that no option type
   * is given twice.
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
    peer().validate(v, path() + ".peer");
    Violations.port(v, path() + ".allowPort", allowPort());
    Violations.tags(v, path() + ".tags", tags());
    ProviderOptions.checkUnique(v, path() + ".options", options());
  }

  /** Made by its builder only; the one subclass is the generated immutable implementation. */
  Peering() {}

  /**
   * A builder with the defaults above.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a {@link Peering}; {@code build()} checks it and throws {@link InvalidSpecException} listing every problem.
   * The {@code name}, {@code network} and {@code peer} are required: {@code build()} throws
   * {@link IllegalStateException} without them. Not thread-safe.
   */
  public static final class Builder extends ImmutablePeering.Builder {
    Builder() {}
  }
}
