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
 */
@Value.Immutable
@SpecStyle
public abstract class Peering implements WithPeering {
  /** The peering's name: a lowercase DNS label, unique among the stack's peerings. */
  public abstract String name();

  /** The name of the stack network to connect. */
  public abstract String network();

  /** The network on the other side. */
  public abstract PeerNetwork peer();

  /** The TCP port the peer may reach (default 5432, PostgreSQL's). */
  @Value.Default
  public int allowPort() {
    return 5432;
  }

  /** Tags added to every resource made for this peering, beside the stack's tags. */
  public abstract Map<String, String> tags();

  /** Provider-specific settings; at most one of each type. */
  public abstract List<ProviderOptions> options();

  /** The provider option of the given type, if one is attached. */
  public <T extends ProviderOptions> Optional<T> option(Class<T> type) {
    return ProviderOptions.find(options(), type);
  }

  /** The path of this peering in a stack, used in validation messages: {@code peerings[rosa]}. */
  public String path() {
    return "peerings[" + name() + "]";
  }

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

  /** A builder with the defaults above. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Peering}; {@code build()} throws {@link InvalidSpecException} listing every problem. */
  public static final class Builder extends ImmutablePeering.Builder {}
}
