package dev.cloudpg.examples;

import picocli.CommandLine.Option;

/** The options every command of {@code cloudpg-examples} takes: {@code --help} and {@code --verbose}. */
final class CommonOptions {
  /** The option that asks for stack traces and the Azure SDK's own log. */
  static final String VERBOSE = "--verbose";

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help and exit.")
  boolean help;

  @Option(names = VERBOSE,
      description = "On failure, print the stack trace too; let the Azure SDK log its warnings.")
  boolean verbose;
}
