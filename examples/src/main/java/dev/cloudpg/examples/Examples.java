package dev.cloudpg.examples;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The entry point of {@code cloudpg-examples.jar}: one command, {@code cloudpg-examples}, with a subcommand per
 * example.
 *
 * <pre>
 * java -jar examples/target/cloudpg-examples.jar quickstart
 * java -jar examples/target/cloudpg-examples.jar --help
 * java -jar examples/target/cloudpg-examples.jar aurora --help
 * </pre>
 *
 * <p>Exit status: 0 when the example did what it shows, 1 when it failed (one paragraph on standard error saying what
 * is wrong and what to do; the stack trace with {@code --verbose}), 2 when the command line is wrong (an unknown
 * option or a bad value, named).
 */
@Command(name = "cloudpg-examples", sortOptions = false,
    description = "Runnable examples of cloudpg. The quickstart and the --fake runs need no cloud and no credentials.",
    subcommands = {Quickstart.class, AuroraExample.class, StacksCommand.class, AksExample.class, MstExample.class,
        Bench.class, HelpCommand.class},
    footer = {"", "Exit status: 0 done, 1 failed (what is wrong and what to do on standard error), "
        + "2 wrong command line."})
public final class Examples implements Callable<Integer> {
  /** The slf4j-simple setting of the Azure SDK's loggers, off in simplelogger.properties. */
  static final String AZURE_LOG_LEVEL = "org.slf4j.simpleLogger.log.com.azure";

  @Mixin
  CommonOptions common;

  @Spec
  CommandSpec spec;

  Examples() {}

  /** No example named: the list of them, as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return spec.exitCodeOnInvalidInput();
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line {@code args} and returns its exit status; output goes to System.out and System.err. */
  static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The command with its subcommands and the handlers that turn failures into short messages and exit codes. */
  static CommandLine commandLine() {
    CommandLine cmd = new CommandLine(new Examples());
    cmd.setUnmatchedOptionsAllowedAsOptionParameters(false);
    cmd.setUsageHelpWidth(100);
    cmd.setParameterExceptionHandler(Failures::usageError);
    cmd.setExecutionExceptionHandler(Failures::runError);
    cmd.setExecutionStrategy(Examples::run);
    return cmd;
  }

  private static int run(ParseResult parsed) {
    if (Failures.verbose(parsed) && System.getProperty(AZURE_LOG_LEVEL) == null) {
      // before any Azure class makes its logger: slf4j-simple reads the level when a logger is made
      System.setProperty(AZURE_LOG_LEVEL, "warn");
    }
    return new CommandLine.RunLast().execute(parsed);
  }
}
