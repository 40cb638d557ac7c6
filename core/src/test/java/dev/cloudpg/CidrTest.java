package dev.cloudpg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudpg.spi.Cidr;
import org.junit.jupiter.api.Test;

class CidrTest {
  @Test
  void split_whenTwoZones_givesTheTwoHalves() {
    assertThat(Cidr.parse("192.168.0.0/16").split(2, 28)).extracting(Cidr::toString)
        .containsExactly("192.168.0.0/17", "192.168.128.0/17");
  }

  @Test
  void split_whenThreeZones_givesQuartersWithoutOverlap() {
    assertThat(Cidr.parse("10.0.0.0/24").split(3, 28)).extracting(Cidr::toString)
        .containsExactly("10.0.0.0/26", "10.0.0.64/26", "10.0.0.128/26");
  }

  @Test
  void split_whenTooSmall_refuses() {
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/28").split(2, 28)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too small");
  }

  @Test
  void overlaps_whenOneContainsTheOther_isTrueBothWays() {
    Cidr big = Cidr.parse("10.0.0.0/8");
    Cidr small = Cidr.parse("10.20.0.0/16");
    assertThat(big.overlaps(small)).isTrue();
    assertThat(small.overlaps(big)).isTrue();
    assertThat(big.contains(small)).isTrue();
    assertThat(small.contains(big)).isFalse();
    assertThat(small.overlaps(Cidr.parse("10.21.0.0/16"))).isFalse();
  }

  @Test
  void next_whenAtTheEnd_isEmpty() {
    assertThat(Cidr.parse("10.0.0.0/16").next().orElseThrow()).hasToString("10.1.0.0/16");
    assertThat(Cidr.parse("255.255.0.0/16").next()).isEmpty();
  }

  @Test
  void parse_whenMalformed_saysWhy() {
    assertThatThrownBy(() -> Cidr.parse("10.0.0/16")).hasMessageContaining("4 octets");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0")).hasMessageContaining("prefix");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.256/16")).hasMessageContaining("256");
  }
}
