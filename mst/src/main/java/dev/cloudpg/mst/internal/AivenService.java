package dev.cloudpg.mst.internal;

import dev.cloudpg.Secret;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A service as Aiven reports it. States: {@code REBUILDING} (being built), {@code RUNNING}, {@code REBALANCING},
 * {@code POWEROFF}. The service URI holds the admin password, so it is a {@link Secret}; host and port come from the
 * URI's parameters and are known once Aiven has assigned them. {@code pgVersion} is {@code user_config.pg_version}
 * (empty when Aiven does not say), {@code tags} the service's tags.
 */
public record AivenService(String serviceName, String serviceType, String state, String plan, String cloudName,
    Optional<String> projectVpcId, boolean terminationProtection, Optional<String> host, OptionalInt port,
    Optional<Secret> serviceUri, String pgVersion, Map<String, String> tags) {
  /** Copies the tags. */
  public AivenService {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }

  /**
   * Whether the service runs, ready for connections.
   *
   * @return true in {@code RUNNING}
   */
  public boolean running() {
    return "RUNNING".equals(state);
  }
}
