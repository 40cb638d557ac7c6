package dev.cloudpg.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudpg.Peering;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.Stack;
import dev.cloudpg.aws.AuroraOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuroraStackTest {

  @Test
  void stack_whenOneAppVpc_keepsThePeeringNamedApp() {
    Stack stack = AuroraExample.stack("keycloak-aurora", "192.168.0.0/16", "vpc-0123abcd", null);

    assertThat(stack.peerings()).extracting(Peering::name).containsExactly("app");
    assertThat(stack.databases().get(0).instances()).isEqualTo(2);
    assertThat(stack.databases().get(0).options()).isEmpty();
  }

  @Test
  void stack_whenThreeAppVpcs_peersEachInTheOrderGiven() {
    Stack stack = AuroraExample.stack("keycloak-aurora", "192.168.0.0/16",
        List.of("vpc-0a", "vpc-0b", "ip-10-2-0-5.eu-west-1.compute.internal"), "eu-central-1", 2, null);

    assertThat(stack.peerings()).extracting(Peering::name).containsExactly("app", "app-2", "app-3");
    assertThat(stack.peerings()).extracting(p -> p.peer().reference())
        .containsExactly("vpc-0a", "vpc-0b", "ip-10-2-0-5.eu-west-1.compute.internal");
    assertThat(stack.peerings()).allSatisfy(p -> {
      assertThat(p.network()).isEqualTo("db");
      assertThat(p.peer().region()).hasValue("eu-central-1");
    });
    assertThat(stack.peerings().get(2).peer().kind()).isNotEqualTo(stack.peerings().get(0).peer().kind());
  }

  @Test
  void stack_whenAuroraSettingsGiven_putsThemOnTheDatabase() {
    AuroraOptions aurora = AuroraOptions.builder().engineVersion("16.4").instanceClass("db.r7g.xlarge").build();

    PostgresCluster db = AuroraExample.stack("orders", "10.10.0.0/16", List.of("vpc-0a"), null, 3, aurora)
        .databases().get(0);

    assertThat(db.instances()).isEqualTo(3);
    assertThat(db.options()).containsExactly(aurora);
  }

  @Test
  void peeringName_whenIndexGiven_isAppThenNumberedFromTwo() {
    assertThat(List.of(AuroraExample.peeringName(0), AuroraExample.peeringName(1), AuroraExample.peeringName(9)))
        .containsExactly("app", "app-2", "app-10");
  }
}
