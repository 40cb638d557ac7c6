package dev.cloudpg.aws;

import dev.cloudpg.ProviderOptions;
import java.util.Objects;
import java.util.Optional;

/**
 * AWS-specific settings of a {@link dev.cloudpg.Peering}: which route tables of the application's VPC get the route to
 * the database network. By default only the application VPC's main route table does; with a tag filter, every table
 * of that VPC whose tag matches (the value may hold {@code *} wildcards):
 *
 * <pre>{@code
 * Peering.builder().name("rosa").network("db").peer(PeerNetwork.awsVpcOfInstance(nodeDnsName))
 *     .addOptions(AwsPeeringOptions.routeTablesTagged("Name", "*public*"))
 *     .build()
 * }</pre>
 *
 * <p>To admit only part of the application VPC (its machine CIDR, say) to the database port, declare those blocks on
 * the peer with {@code PeerNetwork.withCidrs(..)}.
 */
public final class AwsPeeringOptions implements ProviderOptions {
  private final String routeTableTagKey;
  private final String routeTableTagValue;

  private AwsPeeringOptions(String routeTableTagKey, String routeTableTagValue) {
    this.routeTableTagKey = routeTableTagKey;
    this.routeTableTagValue = routeTableTagValue;
  }

  /**
   * Routes go into every route table of the application VPC whose tag {@code key} matches {@code valuePattern}.
   *
   * @param key the tag key, such as {@code Name}
   * @param valuePattern the tag value to match; {@code *} matches any text
   * @return the options
   * @throws NullPointerException if {@code key} or {@code valuePattern} is null
   */
  public static AwsPeeringOptions routeTablesTagged(String key, String valuePattern) {
    return new AwsPeeringOptions(Objects.requireNonNull(key, "key"), Objects.requireNonNull(valuePattern,
        "valuePattern"));
  }

  /**
   * Routes go into the application VPC's main route table: the default.
   *
   * @return the options
   */
  public static AwsPeeringOptions mainRouteTable() {
    return new AwsPeeringOptions(null, null);
  }

  /**
   * The tag key that selects application route tables; empty for the main route table.
   *
   * @return the tag key, if route tables are selected by tag
   */
  public Optional<String> routeTableTagKey() {
    return Optional.ofNullable(routeTableTagKey);
  }

  /**
   * The tag value pattern ({@code *} matches any text) that selects application route tables.
   *
   * @return the pattern; empty for the main route table
   */
  public Optional<String> routeTableTagValue() {
    return Optional.ofNullable(routeTableTagValue);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AwsPeeringOptions && Objects.equals(routeTableTagKey, ((AwsPeeringOptions) o).routeTableTagKey)
        && Objects.equals(routeTableTagValue, ((AwsPeeringOptions) o).routeTableTagValue);
  }

  @Override
  public int hashCode() {
    return Objects.hash(routeTableTagKey, routeTableTagValue);
  }

  @Override
  public String toString() {
    return routeTableTagKey == null ? "AwsPeeringOptions{main route table}"
        : "AwsPeeringOptions{route tables tagged " + routeTableTagKey + "=" + routeTableTagValue + "}";
  }
}
