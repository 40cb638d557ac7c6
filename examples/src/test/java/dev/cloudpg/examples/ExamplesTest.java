package dev.cloudpg.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cloudpg.InvalidSpecException;
import dev.cloudpg.Violation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The command line of {@code cloudpg-examples}. Every run here that names a cloud also points it at a closed loopback
 * port ({@code --endpoint http://127.0.0.1:1}) or runs {@code --fake}, so that a check that failed to refuse could
 * still not reach a real cloud.
 */
class ExamplesTest {
  private static final String[] AURORA = {"aurora", "--region", "eu-west-1", "--app-vpc", "vpc-0123abcd",
      "--endpoint", "http://127.0.0.1:1"};

  private static String[] aurora(String... more) {
    String[] args = Arrays.copyOf(AURORA, AURORA.length + more.length);
    System.arraycopy(more, 0, args, AURORA.length, more.length);
    return args;
  }

  /** Every command, as the words that name it: {@code []}, {@code [aurora]}, {@code [bench, aws]}... */
  private static List<List<String>> commands(CommandLine cmd, List<String> path) {
    List<List<String>> all = new ArrayList<>();
    all.add(path);
    cmd.getSubcommands().forEach((name, sub) -> {
      if (!name.equals("help")) {
        List<String> deeper = new ArrayList<>(path);
        deeper.add(name);
        all.addAll(commands(sub, deeper));
      }
    });
    return all;
  }

  @Test
  void execute_whenOptionMisspelt_exitsTwoNamingItAndRunsNothing() {
    Console run = Console.run(aurora("--endpiont", "http://127.0.0.1:1"));

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("Unknown option", "'--endpiont'", "Possible solutions: --endpoint")
        .contains("cloudpg-examples aurora --help");
    assertThat(run.out()).doesNotContain("Plan");
  }

  @Test
  void execute_whenHelpOnAnyCommand_exitsZeroAndPrintsItsUsage() {
    List<List<String>> commands = commands(Examples.commandLine(), List.of());
    assertThat(commands).extracting(c -> String.join(" ", c)).contains("", "quickstart", "aurora", "aks", "mst",
        "bench", "bench fake", "bench aws", "bench azure");

    for (List<String> command : commands) {
      for (String help : new String[] {"--help", "-h"}) {
        List<String> args = new ArrayList<>(command);
        args.add(help);
        Console run = Console.run(args.toArray(String[]::new));

        assertThat(run.status()).as("%s", args).isZero();
        assertThat(run.out()).as("%s", args)
            .startsWith(String.join(" ", "Usage: cloudpg-examples", String.join(" ", command)).strip() + " ")
            .contains("--help", "--verbose");
        assertThat(run.err()).as("%s", args).isEmpty();
      }
    }
  }

  @Test
  void execute_whenHelpCommandNamesAnExample_exitsZeroWithItsUsage() {
    Console run = Console.run("help", "aurora");

    assertThat(run.status()).isZero();
    assertThat(run.out()).startsWith("Usage: cloudpg-examples aurora").contains("--app-vpc", "--graph");
  }

  @Test
  void execute_whenNoCommand_listsTheExamplesAndExitsTwo() {
    Console run = Console.run();

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("quickstart", "aurora", "aks", "mst", "bench");
  }

  @Test
  void execute_whenBenchModeUnknown_exitsTwoNamingIt() {
    Console run = Console.run("bench", "gcp");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("'gcp'");
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("--time-scale", new String[] {"aks", "--fake", "--time-scale", "abc"}),
        Arguments.of("--time-scale", new String[] {"mst", "--fake", "--time-scale", "-2"}),
        Arguments.of("--endpoint", new String[] {"aurora", "--region", "eu-west-1", "--app-vpc", "vpc-0123abcd",
            "--endpoint", "not-a-url"}),
        Arguments.of("--endpoint", new String[] {"bench", "aws", "--endpoint", "ftp://127.0.0.1:1"}),
        Arguments.of("--instances", aurora("--instances", "-1")),
        Arguments.of("--instances", aurora("--instances", "17")),
        Arguments.of("--instances", aurora("--instances", "two")),
        Arguments.of("--cidr", aurora("--cidr", "10.0.0.0/8")),
        Arguments.of("--cidr", new String[] {"mst", "--fake", "--cidr", "10.20.0.1/24"}),
        Arguments.of("--vnet-cidr", new String[] {"mst", "--fake", "--vnet-cidr", "10.1.0.0/33"}),
        Arguments.of("--authorized-ip", new String[] {"aks", "--fake", "--authorized-ip", "203.0.113.300/32"}),
        Arguments.of("--subscription", new String[] {"aks", "--fake", "--subscription", "my-subscription"}),
        Arguments.of("--mst-app-id", new String[] {"mst", "--fake", "--mst-app-id", "mst"}),
        Arguments.of("--app-vpc", aurora("--app-vpc", "vpc-0123abcd")),
        Arguments.of("--region", new String[] {"aurora", "--app-vpc", "vpc-0123abcd", "--region"}));
  }

  @ParameterizedTest
  @MethodSource("badValues")
  void execute_whenValueBad_exitsTwoNamingTheOption(String option, String[] args) {
    Console run = Console.run(args);

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: ").contains("'" + option + "'");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void execute_whenRequestLogWithoutFake_exitsTwoSayingItNeedsFake() {
    Console run = Console.run("aks", "--request-log", "target/requests", "--subscription",
        "00000000-0000-0000-0000-000000000001");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("--request-log needs --fake");
  }

  @Test
  void execute_whenAksHasNoSubscription_exitsTwoSayingWhereOneComesFrom() {
    assumeTrue(System.getenv("AZURE_SUBSCRIPTION_ID") == null, "AZURE_SUBSCRIPTION_ID is set");

    Console run = Console.run("aks", "--region", "westus3");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("'--subscription=S'", "AZURE_SUBSCRIPTION_ID", "az account show", "--fake")
        .doesNotContain("\tat ");
  }

  @Test
  void execute_whenMstLacksWhatARealRunNeeds_namesEveryMissingOptionAtOnce() {
    assumeTrue(System.getenv("AZURE_SUBSCRIPTION_ID") == null, "AZURE_SUBSCRIPTION_ID is set");

    Console run = Console.run("mst");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("'--subscription=S'", "'--project=P'", "'--mst-app-id=ID'");
  }

  @Test
  void execute_whenSpecInvalidWithoutVerbose_printsWhatAndWhatToDoButNoStackTrace() {
    Console run = Console.run(aurora("--name", "Keycloak_Aurora"));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).startsWith("failed: invalid spec").contains("Keycloak_Aurora", "Nothing was sent")
        .doesNotContain("\tat ", "Exception");
    assertThat(run.err().lines().count()).isLessThanOrEqualTo(5);
  }

  @Test
  void execute_whenSpecInvalidWithVerbose_printsTheStackTraceToo() {
    Console run = Console.run(aurora("--name", "Keycloak_Aurora", "--verbose"));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).startsWith("failed: invalid spec")
        .contains(InvalidSpecException.class.getName(), "\tat dev.cloudpg.");
  }

  @Test
  void runError_whenExceptionUnexpected_printsOneLineAndHowToSeeTheTrace() {
    CommandLine cmd = Examples.commandLine();
    java.io.StringWriter err = new java.io.StringWriter();
    cmd.setErr(new java.io.PrintWriter(err));

    int status = Failures.runError(new IllegalStateException("no such state"), cmd, cmd.parseArgs("quickstart"));

    assertThat(status).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("failed unexpectedly: java.lang.IllegalStateException: no such state"
        + System.lineSeparator() + "run with --verbose for the stack trace" + System.lineSeparator());
  }

  @Test
  void runError_whenMessageVeryLong_cutsItAndSaysHowToSeeAll() {
    CommandLine cmd = Examples.commandLine();
    java.io.StringWriter err = new java.io.StringWriter();
    cmd.setErr(new java.io.PrintWriter(err));
    List<Violation> many = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      many.add(new Violation("networks[n" + i + "].cidr", "x", "is not a CIDR block"));
    }

    Failures.runError(new InvalidSpecException(many), cmd, cmd.parseArgs("quickstart"));

    assertThat(err.toString().lines().count()).isLessThanOrEqualTo(Failures.MAX_LINES + 3);
    assertThat(err.toString()).contains("more lines (--verbose shows them)").doesNotContain("n39");
  }
}
