package dev.cloudpg.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.Stack;
import dev.cloudpg.testkit.azure.ArmRequest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one plan of an applied AKS stack costs in requests, with discovery, against FakeArm and FakeKubernetes: the
 * same whether the subscription holds nothing else or 200 other VNets in 20 other resource groups. The figures are
 * printed for the record.
 */
class AzurePlanCostIT {
  private AzureCloudIT.Fakes fakes;

  @BeforeEach
  void start() {
    fakes = AzureCloudIT.Fakes.start();
  }

  @AfterEach
  void stop() {
    fakes.close();
  }

  /** ARM requests by method and resource type, then {@code kubernetes} for the API server's. */
  private Map<String, Integer> planRequests(Stack stack) {
    int armBefore = fakes.arm().requests().size();
    int kubeBefore = fakes.kube().requestCount();
    assertThat(fakes.cloud().plan(stack).hasChanges()).isFalse();
    List<ArmRequest> arm = fakes.arm().requests().subList(armBefore, fakes.arm().requests().size());
    Map<String, Integer> counts = new TreeMap<>(arm.stream().collect(Collectors.groupingBy(
        r -> r.method() + " " + kind(r.path()), Collectors.summingInt(r -> 1))));
    counts.put("kubernetes", fakes.kube().requestCount() - kubeBefore);
    return counts;
  }

  /** The last type segment of an ARM path, such as {@code managedClusters}. */
  private static String kind(String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 2; i >= 0; i--) {
      if (!parts[i].isEmpty() && Character.isLowerCase(parts[i].charAt(0)) && i % 2 == 1) {
        return parts[i];
      }
    }
    return path;
  }

  @Test
  void plan_whenTheSubscriptionHolds200OtherVnets_makesAsManyRequestsAsWithoutThem() {
    Stack stack = AzureCloudIT.stack(fakes.kube(), false);
    fakes.cloud().apply(stack, ProvisioningListener.none());
    Map<String, Integer> alone = planRequests(stack);

    for (int i = 0; i < 200; i++) {
      fakes.arm().addVirtualNetwork(AzureCloudIT.SUBSCRIPTION, "rg-other-" + i % 20, "vnet-" + i, "westus3",
          "10." + (i / 16) + "." + (i % 16 * 16) + ".0/20");
    }
    Map<String, Integer> crowded = planRequests(stack);

    int total = alone.values().stream().mapToInt(Integer::intValue).sum();
    System.out.println("one plan of the AKS stack: " + total + " requests " + alone);
    System.out.println("with 200 other VNets in 20 other groups: "
        + crowded.values().stream().mapToInt(Integer::intValue).sum() + " requests " + crowded);
    assertThat(crowded).isEqualTo(alone);
    assertThat(alone.keySet()).as("a plan only reads").allMatch(k -> k.startsWith("GET ") || k.equals("kubernetes"));
  }
}
