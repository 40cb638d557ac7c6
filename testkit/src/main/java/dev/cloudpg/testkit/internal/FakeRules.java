package dev.cloudpg.testkit.internal;

import dev.cloudpg.Network;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Violations;

/** The fake cloud's own rules, checked before any call: its region's zones, two zones per database. */
final class FakeRules {
  private FakeRules() {}

  static void validate(Stack stack, Violations v, int zonesInRegion) {
    for (Network n : stack.networks()) {
      if (n.zones() > zonesInRegion) {
        v.add(n.path() + ".zones", n.zones(), "exceeds the " + zonesInRegion + " zones of the fake region");
      }
    }
    for (PostgresCluster d : stack.databases()) {
      int zones = stack.network(d.network()).zones();
      if (zones < 2) {
        v.add(stack.network(d.network()).path() + ".zones", zones,
            "must be at least 2: database " + d.name() + " needs a subnet group over two zones");
      }
    }
  }
}
