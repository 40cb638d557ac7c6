package dev.cloudpg.testkit.aws;

import static dev.cloudpg.testkit.aws.AwsService.EC2;
import static dev.cloudpg.testkit.aws.AwsService.RDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudpg.testkit.aws.EndpointChoice.Inputs;
import dev.cloudpg.testkit.aws.EndpointChoice.Source;
import java.net.URI;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class EndpointChoiceTest {
  private static final Set<AwsService> BOTH = EnumSet.of(EC2, RDS);
  private static final Set<AwsService> EC2_ONLY = EnumSet.of(EC2);
  private static final String NO_DOCKER = "no Docker engine: DOCKER_HOST is not set and there is no socket at "
      + "/var/run/docker.sock";

  /** Counts the Docker checks, which must happen only when LocalStack is the last option. */
  private final AtomicInteger dockerChecks = new AtomicInteger();

  private Supplier<Optional<String>> docker(boolean answers) {
    return () -> {
      dockerChecks.incrementAndGet();
      return answers ? Optional.empty() : Optional.of(NO_DOCKER);
    };
  }

  private Inputs inputs(Map<String, String> environment, boolean moto, boolean module, boolean docker) {
    return new Inputs(environment, moto, module, docker(docker));
  }

  private static Map<String, String> env(String... pairs) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @Test
  void decide_whenEndpointVariableSet_choosesItOverMotoAndLocalStack() {
    EndpointChoice choice = EndpointChoice.decide(BOTH, inputs(env("CLOUDPG_AWS_ENDPOINT", " http://127.0.0.1:4566 ",
        "LOCALSTACK_AUTH_TOKEN", "t"), true, true, true));

    assertThat(choice.source()).isEqualTo(Source.EXPLICIT);
    assertThat(choice.explicit()).isEqualTo(URI.create("http://127.0.0.1:4566"));
    assertThat(choice.available()).isTrue();
    assertThat(dockerChecks).hasValue(0);
  }

  @Test
  void decide_whenEndpointVariableIsNoHttpUri_failsEvenOutsideCi() {
    EndpointChoice choice = EndpointChoice.decide(BOTH, inputs(env("CLOUDPG_AWS_ENDPOINT", "localhost:4566"), true,
        true, true));

    assertThat(choice.available()).isFalse();
    assertThat(choice.fails()).isTrue();
    assertThat(choice.reason()).contains("CLOUDPG_AWS_ENDPOINT=\"localhost:4566\"", "http");
  }

  @Test
  void decide_whenMotoOnPath_choosesMotoWithoutAskingDocker() {
    EndpointChoice choice = EndpointChoice.decide(EC2_ONLY, inputs(env("LOCALSTACK_AUTH_TOKEN", "t"), true, true,
        true));

    assertThat(choice.source()).isEqualTo(Source.MOTO);
    assertThat(choice.reason()).isNull();
    assertThat(dockerChecks).hasValue(0);
  }

  @Test
  void decide_whenNoMotoAndNoDocker_isSkippedWithReasonNamingMoto() {
    EndpointChoice choice = EndpointChoice.decide(BOTH, inputs(env(), false, true, false));

    assertThat(choice.source()).isEqualTo(Source.NONE);
    assertThat(choice.fails()).isFalse();
    assertThat(choice.reason()).contains("EC2 and RDS", "CLOUDPG_AWS_ENDPOINT is not set",
        "moto_server is not on the PATH", "pip install 'moto[server]'", "free edition has no RDS");
  }

  @Test
  void decide_whenCiTrueAndNoEndpoint_failsWithTheSameReason() {
    EndpointChoice skipped = EndpointChoice.decide(BOTH, inputs(env(), false, true, false));
    EndpointChoice failed = EndpointChoice.decide(BOTH, inputs(env("CI", "true"), false, true, false));

    assertThat(failed.available()).isFalse();
    assertThat(failed.fails()).isTrue();
    assertThat(failed.reason()).startsWith(skipped.reason()).contains("CI=true", "fail instead of being skipped");
  }

  @Test
  void decide_whenCiIsNotTrue_skips() {
    EndpointChoice choice = EndpointChoice.decide(BOTH, inputs(env("CI", "false"), false, true, false));

    assertThat(choice.fails()).isFalse();
  }

  @Test
  void decide_whenCiTrueAndMotoOnPath_choosesMoto() {
    EndpointChoice choice = EndpointChoice.decide(BOTH, inputs(env("CI", "true"), true, true, false));

    assertThat(choice.source()).isEqualTo(Source.MOTO);
    assertThat(choice.fails()).isFalse();
  }

  @Test
  void decide_whenEc2OnlyAndLocalStackAvailable_choosesLocalStack() {
    EndpointChoice choice = EndpointChoice.decide(EC2_ONLY, inputs(env("LOCALSTACK_AUTH_TOKEN", "ls-token"), false,
        true, true));

    assertThat(choice.source()).isEqualTo(Source.LOCALSTACK);
    assertThat(choice.available()).isTrue();
    assertThat(dockerChecks).hasValue(1);
  }

  @Test
  void decide_whenRdsNeededAndOnlyLocalStackAvailable_isSkippedNamingMoto() {
    EndpointChoice choice = EndpointChoice.decide(BOTH, inputs(env("LOCALSTACK_AUTH_TOKEN", "ls-token"), false, true,
        true));

    assertThat(choice.source()).isEqualTo(Source.NONE);
    assertThat(choice.reason()).contains("moto_server", "pip install 'moto[server]'", "free edition has no RDS")
        .doesNotContain("run a Docker engine");
    assertThat(dockerChecks).as("LocalStack cannot serve RDS, so Docker is not asked").hasValue(0);
  }

  @Test
  void decide_whenRdsOnlyAndNoMoto_namesOnlyRdsAsMissing() {
    EndpointChoice choice = EndpointChoice.decide(EnumSet.of(RDS), inputs(env(), false, true, true));

    assertThat(choice.reason()).contains("tests that need RDS:", "free edition has no RDS");
  }

  @Test
  void decide_whenEc2OnlyAndNoToken_isSkippedNamingTokenWithoutAskingDocker() {
    EndpointChoice choice = EndpointChoice.decide(EC2_ONLY, inputs(env(), false, true, true));

    assertThat(choice.source()).isEqualTo(Source.NONE);
    assertThat(choice.reason()).contains("tests that need EC2:", "LOCALSTACK_AUTH_TOKEN is not set",
        "pip install 'moto[server]'", "run a Docker engine and set LOCALSTACK_AUTH_TOKEN");
    assertThat(dockerChecks).hasValue(0);
  }

  @Test
  void decide_whenEc2OnlyAndModuleMissing_namesTheArtifact() {
    EndpointChoice choice = EndpointChoice.decide(EC2_ONLY, inputs(env("LOCALSTACK_AUTH_TOKEN", "t"), false, false,
        true));

    assertThat(choice.source()).isEqualTo(Source.NONE);
    assertThat(choice.reason()).contains("org.testcontainers:testcontainers-localstack) is not on the class path");
    assertThat(dockerChecks).hasValue(0);
  }

  @Test
  void decide_whenEc2OnlyAndNoDocker_isSkippedWithTheDockerProblem() {
    EndpointChoice choice = EndpointChoice.decide(EC2_ONLY, inputs(env("LOCALSTACK_AUTH_TOKEN", "t"), false, true,
        false));

    assertThat(choice.source()).isEqualTo(Source.NONE);
    assertThat(choice.fails()).isFalse();
    assertThat(choice.reason()).contains("LocalStack cannot be used: " + NO_DOCKER, "pip install 'moto[server]'",
        "run a Docker engine and set LOCALSTACK_AUTH_TOKEN");
  }

  @Test
  void decide_whenNoServicesDeclared_needsBoth() {
    EndpointChoice choice = EndpointChoice.decide(EnumSet.noneOf(AwsService.class), inputs(
        env("LOCALSTACK_AUTH_TOKEN", "t"), false, true, true));

    assertThat(choice.source()).isEqualTo(Source.NONE);
    assertThat(choice.reason()).contains("EC2 and RDS");
  }
}
