package dev.cloudpg.aws.internal;

import java.util.List;

/** The application VPC a peering connects to, as found in its region. */
record PeerVpc(String vpcId, String region, List<String> cidrs) {
  PeerVpc {
    cidrs = List.copyOf(cidrs);
  }
}
