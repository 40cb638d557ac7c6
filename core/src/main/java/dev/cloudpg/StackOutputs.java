package dev.cloudpg;

import java.util.Map;
import org.immutables.value.Value;

/**
 * The typed outputs of an applied stack, by spec name:
 *
 * <pre>{@code
 * String host = outputs.database("keycloak").writerEndpoint();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
@Value.Immutable
@SpecStyle
public abstract class StackOutputs {
  /**
   * The name of the stack.
   *
   * @return the stack's name
   */
  public abstract String stack();

  /**
   * The outputs of the stack's networks, by name in the spec.
   *
   * @return the outputs of each network that exists
   */
  public abstract Map<String, NetworkOutputs> networks();

  /**
   * The outputs of the stack's databases, by name in the spec.
   *
   * @return the outputs of each database that exists
   */
  public abstract Map<String, DatabaseOutputs> databases();

  /**
   * The outputs of the stack's peerings, by name in the spec.
   *
   * @return the outputs of each peering that exists
   */
  public abstract Map<String, PeeringOutputs> peerings();

  /**
   * The outputs of the network with this name.
   *
   * @param name the network's name in the spec
   * @return its outputs
   * @throws IllegalArgumentException if there are none by that name (the message lists the names there are)
   */
  public NetworkOutputs network(String name) {
    return get(networks(), name, "network");
  }

  /**
   * The outputs of the database with this name.
   *
   * @param name the database's name in the spec
   * @return its outputs
   * @throws IllegalArgumentException if there are none by that name (the message lists the names there are)
   */
  public DatabaseOutputs database(String name) {
    return get(databases(), name, "database");
  }

  /**
   * The outputs of the peering with this name.
   *
   * @param name the peering's name in the spec
   * @return its outputs
   * @throws IllegalArgumentException if there are none by that name (the message lists the names there are)
   */
  public PeeringOutputs peering(String name) {
    return get(peerings(), name, "peering");
  }

  private <T> T get(Map<String, T> map, String name, String what) {
    T value = map.get(name);
    if (value == null) {
      throw new IllegalArgumentException("stack " + stack() + " has no " + what + " output named " + name
          + " (known: " + map.keySet() + ")");
    }
    return value;
  }

  /**
   * A short multi-line summary: networks, endpoints and peering states.
   *
   * @return the summary, one line per network, database and peering after a heading; it holds no secret
   */
  public String render() {
    StringBuilder out = new StringBuilder("Outputs of stack ").append(stack()).append('\n');
    networks().forEach((n, o) -> out.append("  network ").append(n).append(": ").append(o.id()).append(' ')
        .append(o.cidr()).append(", subnets ").append(o.subnetIds()).append('\n'));
    databases().forEach((n, o) -> out.append("  database ").append(n).append(": writer ").append(o.writerEndpoint())
        .append(':').append(o.port()).append(o.readerEndpoint().map(r -> ", reader " + r).orElse(""))
        .append(o.secretReference().map(s -> ", password in " + s).orElse("")).append('\n'));
    peerings().forEach((n, o) -> out.append("  peering ").append(n).append(": ").append(o.id()).append(' ')
        .append(o.state()).append('\n'));
    return out.toString();
  }


  /** Made by its builder only; the one subclass is the generated immutable implementation. */
  StackOutputs() {}

  /**
   * A builder, for providers assembling outputs.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds {@link StackOutputs}; {@code build()} throws {@link IllegalStateException} when the stack's name is missing.
   * Not thread-safe.
   */
  public static final class Builder extends ImmutableStackOutputs.Builder {
    Builder() {}
  }
}
