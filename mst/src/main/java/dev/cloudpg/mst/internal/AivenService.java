package dev.cloudpg.mst.internal;

import dev.cloudpg.Secret;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A service as Aiven reports it. States: {@code REBUILDING} (being built), {@code RUNNING}, {@code REBALANCING},
 * {@code POWEROFF}. The service URI holds the admin password, so it is a {@link Secret}; host and port come from the
 * URI's parameters and are known once Aiven has assigned them.
 */
public record AivenService(String serviceName, String serviceType, String state, String plan, String cloudName,
    Optional<String> projectVpcId, boolean terminationProtection, Optional<String> host, OptionalInt port,
    Optional<Secret> serviceUri) {
  public boolean running() {
    return "RUNNING".equals(state);
  }
}
