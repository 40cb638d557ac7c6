package dev.cloudpg.testkit.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.cloudpg.testkit.aws.AwsEndpointExtension.TestSetup;
import dev.cloudpg.testkit.aws.EndpointChoice.Inputs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs JUnit's engine on small {@code @WithAwsEndpoint} classes with the decision inputs of a machine without moto
 * or Docker, and checks what the engine reports: each test skipped (or failed under CI=true), never absent.
 */
class AwsEndpointExtensionEngineTest {
  static final List<String> LIFECYCLE = Collections.synchronizedList(new ArrayList<>());

  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  @WithAwsEndpoint
  static class NeedsRds {
    @BeforeAll
    static void clients(AwsEndpoint aws) {
      LIFECYCLE.add("beforeAll " + aws.kind() + " " + aws.uri());
    }

    @AfterAll
    static void close() {
      LIFECYCLE.add("afterAll");
    }

    @Test
    void createsCluster(AwsEndpoint aws) {
      LIFECYCLE.add("test " + aws.kind());
    }

    @Test
    void createsPeering() {
      LIFECYCLE.add("test");
    }
  }

  @WithAwsEndpoint
  static class NeedsRdsToo {
    @Test
    void deletesCluster(AwsEndpoint aws) {
      LIFECYCLE.add("test " + aws.kind());
    }
  }

  @WithAwsEndpoint(services = AwsService.EC2)
  static class NetworkOnly {
    @Test
    void createsVpc(AwsEndpoint aws) {
      LIFECYCLE.add("test " + aws.kind());
    }
  }

  @WithAwsEndpoint
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  static class TakesEndpointInConstructor {
    TakesEndpointInConstructor(AwsEndpoint aws) {
      LIFECYCLE.add("constructor " + aws.kind());
    }

    @Test
    void usesIt() {
      LIFECYCLE.add("test");
    }
  }

  @BeforeEach
  void clear() {
    LIFECYCLE.clear();
  }

  private EngineExecutionResults run(Map<String, String> environment, Optional<String> dockerProblem,
      Class<?>... classes) {
    String key = UUID.randomUUID().toString();
    Inputs inputs = new Inputs(environment, false, true, () -> dockerProblem);
    AwsEndpointExtension.TEST_SETUPS.put(key, new TestSetup(inputs,
        new PrintStream(console, true, StandardCharsets.UTF_8)));
    try {
      return EngineTestKit.engine("junit-jupiter")
          .configurationParameter(AwsEndpointExtension.TEST_SETUP_PARAMETER, key)
          .selectors(Stream.of(classes).map(c -> selectClass(c)).toArray(ClassSelector[]::new))
          .execute();
    } finally {
      AwsEndpointExtension.TEST_SETUPS.remove(key);
    }
  }

  private static List<String> skipReasons(EngineExecutionResults results) {
    return results.testEvents().skipped().stream().map(e -> e.getRequiredPayload(String.class))
        .collect(Collectors.toList());
  }

  private static List<String> failureMessages(Stream<Event> failed) {
    return failed.map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
        .map(t -> String.valueOf(t.getMessage())).collect(Collectors.toList());
  }

  private String console() {
    return console.toString(StandardCharsets.UTF_8);
  }

  @Test
  void run_whenNoMotoAndNoDocker_reportsEachTestSkippedWithReason() {
    EngineExecutionResults results = run(Map.of(), Optional.of("no Docker engine"), NeedsRds.class);

    results.testEvents().assertStatistics(s -> s.skipped(2).started(0).failed(0));
    results.containerEvents().assertStatistics(s -> s.succeeded(2).failed(0).aborted(0));
    assertThat(skipReasons(results)).hasSize(2).allSatisfy(reason -> assertThat(reason)
        .contains("no AWS endpoint for tests that need EC2 and RDS", "pip install 'moto[server]'"));
    assertThat(LIFECYCLE).as("@BeforeAll and @AfterAll are not run without an endpoint").isEmpty();
    assertThat(console()).startsWith("[cloudpg-testkit] AWS tests SKIPPED: no AWS endpoint for tests that need");
  }

  @Test
  void run_whenTwoClassesLackTheSameEndpoint_printsTheReasonOnce() {
    EngineExecutionResults results = run(Map.of(), Optional.of("no Docker engine"), NeedsRds.class,
        NeedsRdsToo.class);

    results.testEvents().assertStatistics(s -> s.skipped(3).started(0));
    assertThat(console().lines()).hasSize(1);
  }

  @Test
  void run_whenCiTrueAndNoEndpoint_reportsEachTestFailedWithReason() {
    EngineExecutionResults results = run(Map.of("CI", "true"), Optional.of("no Docker engine"), NeedsRds.class);

    results.testEvents().assertStatistics(s -> s.failed(2).skipped(0).succeeded(0));
    assertThat(failureMessages(results.testEvents().failed().stream())).hasSize(2).allSatisfy(m -> assertThat(m)
        .contains("pip install 'moto[server]'", "CI=true, so these tests fail instead of being skipped"));
    assertThat(LIFECYCLE).isEmpty();
    assertThat(console()).startsWith("[cloudpg-testkit] AWS tests FAIL: ");
  }

  @Test
  void run_whenEc2OnlyWithTokenAndNoDocker_reportsLocalStackSkippedWithDockerReason() {
    EngineExecutionResults results = run(Map.of("LOCALSTACK_AUTH_TOKEN", "ls-token"),
        Optional.of("no Docker engine: DOCKER_HOST is not set and there is no socket at /var/run/docker.sock"),
        NetworkOnly.class);

    results.testEvents().assertStatistics(s -> s.skipped(1).started(0));
    assertThat(skipReasons(results)).singleElement().asString().contains("tests that need EC2:",
        "LocalStack cannot be used: no Docker engine: DOCKER_HOST is not set",
        "run a Docker engine and set LOCALSTACK_AUTH_TOKEN");
  }

  @Test
  void run_whenEndpointVariableSet_runsLifecycleAndTestsWithIt() {
    EngineExecutionResults results = run(Map.of("CLOUDPG_AWS_ENDPOINT", "http://127.0.0.1:4566"),
        Optional.of("no Docker engine"), NeedsRds.class);

    results.testEvents().assertStatistics(s -> s.succeeded(2).skipped(0).failed(0));
    assertThat(LIFECYCLE).containsExactlyInAnyOrder("beforeAll EXPLICIT http://127.0.0.1:4566", "test EXPLICIT",
        "test", "afterAll");
    assertThat(console()).isEmpty();
  }

  @Test
  void run_whenConstructorTakesEndpointAndNoneAvailable_abortsClassWithReason() {
    EngineExecutionResults results = run(Map.of(), Optional.of("no Docker engine"),
        TakesEndpointInConstructor.class);

    results.testEvents().assertStatistics(s -> s.started(0).failed(0));
    List<String> aborted = results.containerEvents().aborted().stream()
        .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow().getMessage())
        .collect(Collectors.toList());
    assertThat(aborted).singleElement().asString().contains("pip install 'moto[server]'");
    assertThat(LIFECYCLE).isEmpty();
  }
}
