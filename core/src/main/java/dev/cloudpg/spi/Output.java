package dev.cloudpg.spi;

import dev.cloudpg.Secret;
import java.util.List;
import java.util.Objects;

/**
 * A typed handle on one output of a resource type, declared once by the resource that produces it and used by its
 * dependents and by the provider's {@link Provider#outputs} assembly:
 *
 * <pre>{@code
 * static final Output<String> VPC_ID = Output.string("vpcId");      // in the VPC resource
 * String vpc = ctx.get(network, VpcResource.VPC_ID);                  // in a dependent
 * }</pre>
 *
 * Renaming or removing a handle is a compile error wherever it is used. Immutable and thread-safe.
 *
 * @param <T> {@link String}, {@code List<String>} or {@link Secret}
 */
public final class Output<T> {
  private final String name;
  private final Class<?> type;

  private Output(String name, Class<?> type) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = type;
  }

  /**
   * A string output: an id, a name, an endpoint.
   *
   * @param name the output's name, unique among the resource's outputs
   * @return the handle
   */
  public static Output<String> string(String name) {
    return new Output<>(name, String.class);
  }

  /**
   * A list of strings: subnet ids, zones.
   *
   * @param name the output's name, unique among the resource's outputs
   * @return the handle
   */
  public static Output<List<String>> list(String name) {
    return new Output<>(name, List.class);
  }

  /**
   * A secret: a password, a kubeconfig, a connection URI with credentials.
   *
   * @param name the output's name, unique among the resource's outputs
   * @return the handle
   */
  public static Output<Secret> secret(String name) {
    return new Output<>(name, Secret.class);
  }

  /**
   * The output's name, under which {@link Outputs} holds its value.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /** Whether {@code value} is of this output's type. */
  boolean accepts(Object value) {
    return type.isInstance(value);
  }

  @Override
  public String toString() {
    return name;
  }
}
