package dev.cloudpg.azure.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ARM checks every resource shares: provisioningState after a PUT, 404 after a DELETE. */
class AzureResourceTest {
  private static final Output<String> STATE = Output.string("state");
  private static final String ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v";

  /** The check of a resource a GET found (its provisioningState, "" for a type without one) or did not find. */
  private static Probe<Outputs> provisioned(Optional<String> found) {
    return AzureResource.provisioned(found, s -> s.isEmpty() ? null : s,
        s -> Outputs.builder().put(STATE, s.isEmpty() ? "none" : s).build(), ID);
  }

  @Test
  void provisioned_whenSucceededOrStateless_isDoneWithTheOutputs() {
    assertThat(provisioned(Optional.of("Succeeded")).value()).hasValueSatisfying(
        o -> assertThat(o.get(STATE)).isEqualTo("Succeeded"));
    assertThat(provisioned(Optional.of("")).isDone()).isTrue();
  }

  @Test
  void provisioned_whenStillCreatingOrNotVisible_isPending() {
    assertThat(provisioned(Optional.of("Creating"))).satisfies(p -> {
      assertThat(p.isPending()).isTrue();
      assertThat(p.state()).isEqualTo("provisioningState Creating");
    });
    assertThat(provisioned(Optional.empty()).state()).isEqualTo("not visible yet");
  }

  @Test
  void provisioned_whenFailedOrCanceled_failsSayingWhatToCheck() {
    Probe<Outputs> failed = provisioned(Optional.of("Failed"));
    Probe<Outputs> canceled = provisioned(Optional.of("Canceled"));

    assertThat(failed.isFailed()).isTrue();
    assertThat(failed.state()).contains("\"Failed\"", "activity log", ID);
    assertThat(canceled.isFailed()).isTrue();
  }

  @Test
  void provisioned_whenTheStateHoldsControlCharacters_escapesThem() {
    assertThat(provisioned(Optional.of("Fail\ned\u001b[31m")).state()).doesNotContain("\n", "\u001b")
        .contains("\\n");
  }

  @Test
  void gone_whenTheGetAnswers404_isDoneAndPendingUntilThen() {
    assertThat(AzureResource.gone(Optional.empty(), s -> "x").isDone()).isTrue();
    assertThat(AzureResource.<String>gone(Optional.of("v"), s -> "Deleting")).satisfies(p -> {
      assertThat(p.isPending()).isTrue();
      assertThat(p.state()).isEqualTo("Deleting");
    });
  }
}
