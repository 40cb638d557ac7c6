package dev.cloudpg.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VersionTest {
  @Test
  void parse_readsMajorAndMinor() {
    assertThat(Version.parse("17.5")).isEqualTo(new Version(17, 5));
    assertThat(Version.parse("17")).isEqualTo(new Version(17, -1)).satisfies(v -> assertThat(v.majorOnly()).isTrue());
    assertThat(Version.parse("17.5.1")).hasToString("17.5");
  }

  @Test
  void parse_whenNotAVersion_namesTheText() {
    assertThatThrownBy(() -> Version.parse("seventeen")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"seventeen\"");
    assertThatThrownBy(() -> Version.parse("17.x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"17.x\"");
  }

  @Test
  void satisfies_isAtLeastWithinTheMajor() {
    assertThat(Version.parse("17.7").satisfies(Version.parse("17.5"))).isTrue();
    assertThat(Version.parse("17.5").satisfies(Version.parse("17.5"))).isTrue();
    assertThat(Version.parse("17.4").satisfies(Version.parse("17.5"))).isFalse();
    assertThat(Version.parse("17.0").satisfies(Version.parse("17"))).isTrue();
    assertThat(Version.parse("18.1").satisfies(Version.parse("17.5"))).as("another major").isFalse();
    assertThat(Version.parse("16.9").satisfies(Version.parse("17"))).isFalse();
  }
}
