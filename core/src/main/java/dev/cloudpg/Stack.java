package dev.cloudpg;

import dev.cloudpg.spi.Cidr;
import dev.cloudpg.spi.Violations;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.immutables.value.Value;

/**
 * Everything one deployment consists of: networks, PostgreSQL clusters and peerings, under a name that marks every
 * resource made for it as owned by it. A stack is plain data: the same stack can be planned, applied and destroyed on
 * any {@link Cloud}.
 *
 * <p>{@code build()} checks the whole stack and throws {@link InvalidSpecException} with every problem at once: names,
 * CIDR syntax and bounds, overlaps between the stack's networks and with declared peer CIDRs, references from
 * databases and peerings to networks, counts, ports and versions.
 *
 * <p>Immutable and thread-safe; {@code withName(..)} and the other {@code with} methods return a checked copy.
 */
@Value.Immutable
@SpecStyle
public abstract class Stack implements WithStack {
  /**
   * The stack's name: a lowercase DNS label of at most 30 characters, unique in the account or subscription.
   *
   * @return the stack's name
   */
  public abstract String name();

  /**
   * The stack's networks, in the order given; their names are unique within the stack.
   *
   * @return the networks, possibly none
   */
  public abstract List<Network> networks();

  /**
   * The stack's PostgreSQL clusters, each in one of the stack's {@link #networks()}; their names are unique within the
   * stack.
   *
   * @return the databases, possibly none
   */
  public abstract List<PostgresCluster> databases();

  /**
   * The stack's peerings, each connecting one of the stack's {@link #networks()} to a network outside the stack; their
   * names are unique within the stack.
   *
   * @return the peerings, possibly none
   */
  public abstract List<Peering> peerings();

  /**
   * Tags added to every resource of the stack, beside the ownership tags. Keys hold 1 to 128 characters and may not
   * start with {@code cloudpg:}; values hold at most 256.
   *
   * @return the tags, possibly none
   */
  public abstract Map<String, String> tags();

  /**
   * The network with this name.
   *
   * @param name the network's name in the stack
   * @return the network
   * @throws IllegalArgumentException if the stack has no network of that name
   */
  public Network network(String name) {
    return find(networks(), Network::name, name, "network");
  }

  /**
   * The database with this name.
   *
   * @param name the database's name in the stack
   * @return the database
   * @throws IllegalArgumentException if the stack has no database of that name
   */
  public PostgresCluster database(String name) {
    return find(databases(), PostgresCluster::name, name, "database");
  }

  /**
   * The peering with this name.
   *
   * @param name the peering's name in the stack
   * @return the peering
   * @throws IllegalArgumentException if the stack has no peering of that name
   */
  public Peering peering(String name) {
    return find(peerings(), Peering::name, name, "peering");
  }

  private <T> T find(List<T> items, Function<T, String> nameOf, String name, String what) {
    return items.stream().filter(i -> nameOf.apply(i).equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("stack " + name() + " has no " + what + " named " + name));
  }

  /**
   * Checks the stack when it is built or copied: its name and tags, that the names of its networks, databases and
   * peerings are unique, that databases and peerings name one of its networks, and that no two networks, and no network
   * and declared peer CIDR, overlap. Each network, database and peering was checked when it was built.
   *
   * @throws InvalidSpecException listing every problem found
   */
  @Value.Check
  protected void check() {
    Violations v = new Violations();
    Violations.dnsLabel(v, "name", name(), 30);
    Violations.tags(v, "tags", tags());
    unique(v, networks(), Network::name, "networks");
    unique(v, databases(), PostgresCluster::name, "databases");
    unique(v, peerings(), Peering::name, "peerings");
    Set<String> networkNames = new HashSet<>();
    networks().forEach(n -> networkNames.add(n.name()));
    for (PostgresCluster d : databases()) {
      if (!networkNames.contains(d.network())) {
        v.add(d.path() + ".network", d.network(), "names no network of the stack " + networkNames);
      }
    }
    for (Peering p : peerings()) {
      if (!networkNames.contains(p.network())) {
        v.add(p.path() + ".network", p.network(), "names no network of the stack " + networkNames);
      }
    }
    checkOverlaps(v);
    v.throwIfAny();
  }

  private void checkOverlaps(Violations v) {
    List<Network> nets = networks();
    for (int i = 0; i < nets.size(); i++) {
      Optional<Cidr> a = nets.get(i).cidr().flatMap(Cidr::tryParse);
      if (a.isEmpty()) {
        continue;
      }
      for (int j = i + 1; j < nets.size(); j++) {
        Optional<Cidr> b = nets.get(j).cidr().flatMap(Cidr::tryParse);
        if (b.isPresent() && a.get().overlaps(b.get())) {
          v.add(nets.get(j).path() + ".cidr", b.get(), "overlaps " + nets.get(i).path() + " (" + a.get() + ")");
        }
      }
    }
    for (Peering p : peerings()) {
      for (int k = 0; k < p.peer().cidrs().size(); k++) {
        Optional<Cidr> peer = Cidr.tryParse(p.peer().cidrs().get(k));
        for (Network n : nets) {
          Optional<Cidr> c = n.cidr().flatMap(Cidr::tryParse);
          if (peer.isPresent() && c.isPresent() && c.get().overlaps(peer.get())) {
            v.add(p.path() + ".peer.cidrs[" + k + "]", peer.get(), "overlaps " + n.path() + " (" + c.get()
                + "); peered networks need disjoint address ranges");
          }
        }
      }
    }
  }

  private static <T> void unique(Violations v, List<T> items, Function<T, String> nameOf, String path) {
    Set<String> seen = new HashSet<>();
    for (T item : items) {
      String name = nameOf.apply(item);
      if (!seen.add(name)) {
        v.add(path + "[" + name + "].name", name, "is used twice");
      }
    }
  }

  /** Made by its builder only; the one subclass is the generated immutable implementation. */
  Stack() {}

  /**
   * A builder for a stack.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a {@link Stack}; {@code build()} checks the whole stack and throws {@link InvalidSpecException} listing
   * every problem. The {@code name} is required: {@code build()} throws {@link IllegalStateException} without it. Not
   * thread-safe.
   */
  public static final class Builder extends ImmutableStack.Builder {
    Builder() {}
  }
}
