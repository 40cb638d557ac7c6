package dev.cloudpg.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuroraStatusTest {

  @ParameterizedTest
  @ValueSource(strings = {"failed", "incompatible-parameters", "incompatible-network", "incompatible-restore",
      "inaccessible-encryption-credentials", "storage-full"})
  void failure_whenStatusIsTerminal_saysWhatAndWhatToCheck(String status) {
    assertThat(AuroraStatus.failure("DB instance \"pg-instance-1\"", status)).hasValueSatisfying(reason ->
        assertThat(reason).startsWith("DB instance \"pg-instance-1\" is \"" + status + "\": ")
            .containsAnyOf("check", "see its events"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"creating", "backing-up", "modifying", "configuring-enhanced-monitoring", "available",
      "inaccessible-encryption-credentials-recoverable", "starting"})
  void failure_whenStatusMayStillBecomeAvailable_isEmpty(String status) {
    assertThat(AuroraStatus.failure("DB cluster \"pg\"", status)).isEmpty();
  }

  @Test
  void failure_whenKmsKeyIsInaccessible_pointsAtTheKey() {
    assertThat(AuroraStatus.failure("DB cluster \"pg\"", "inaccessible-encryption-credentials"))
        .hasValueSatisfying(reason -> assertThat(reason).contains("KMS key"));
  }
}
