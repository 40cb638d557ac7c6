package dev.cloudpg;

import java.util.Map;
import org.immutables.value.Value;

/**
 * The typed outputs of an applied stack, by spec name:
 *
 * <pre>{@code
 * String host = outputs.database("keycloak").writerEndpoint();
 * }</pre>
 */
@Value.Immutable
@SpecStyle
public abstract class StackOutputs {
  public abstract String stack();

  public abstract Map<String, NetworkOutputs> networks();

  public abstract Map<String, DatabaseOutputs> databases();

  public abstract Map<String, PeeringOutputs> peerings();

  /** The outputs of the network with this name. */
  public NetworkOutputs network(String name) {
    return get(networks(), name, "network");
  }

  /** The outputs of the database with this name. */
  public DatabaseOutputs database(String name) {
    return get(databases(), name, "database");
  }

  /** The outputs of the peering with this name. */
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

  /** A short multi-line summary: networks, endpoints and peering states. */
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


  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link StackOutputs}. */
  public static final class Builder extends ImmutableStackOutputs.Builder {}
}
