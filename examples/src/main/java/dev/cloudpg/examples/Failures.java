package dev.cloudpg.examples;

import dev.cloudpg.ApplyFailedException;
import dev.cloudpg.CloudpgException;
import dev.cloudpg.ConflictException;
import dev.cloudpg.InvalidSpecException;
import dev.cloudpg.WaitTimedOutException;
import java.io.PrintWriter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How {@code cloudpg-examples} reports what went wrong: a mistake in the command line exits 2 naming the option; a
 * failure while running exits 1 with one short paragraph saying what is wrong and what to do, and a stack trace only
 * with {@code --verbose}.
 */
final class Failures {
  /** Longer messages are cut, so that one failure never floods the terminal; {@code --verbose} shows them whole. */
  static final int MAX_LINES = 15;

  private Failures() {}

  /** picocli's handler for a command line it cannot accept: the problem, suggestions, where to find the options. */
  static int usageError(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("error: " + ex.getMessage());
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
    err.flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** picocli's handler for an exception thrown by a command. */
  static int runError(Exception ex, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    Throwable failure = unwrap(ex);
    boolean verbose = verbose(parsed);
    if (failure instanceof CloudpgException || failure instanceof UserError) {
      err.println("failed: " + shorten(failure.getMessage(), verbose));
      String hint = hint(failure, cmd);
      if (!hint.isEmpty()) {
        err.println(hint);
      }
    } else {
      err.println("failed unexpectedly: " + failure.getClass().getName()
          + (failure.getMessage() == null ? "" : ": " + shorten(failure.getMessage(), verbose)));
      if (!verbose) {
        err.println("run with --verbose for the stack trace");
      }
    }
    if (verbose) {
      failure.printStackTrace(err);
    }
    err.flush();
    return cmd.getCommandSpec().exitCodeOnExecutionException();
  }

  /** Whether {@code --verbose} was given to the command or to any command above it. */
  static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption(CommonOptions.VERBOSE)) {
        return true;
      }
    }
    return false;
  }

  /** What to do about a failure, when its message does not say it already. */
  static String hint(Throwable failure, CommandLine cmd) {
    if (failure instanceof InvalidSpecException) {
      return "Nothing was sent to the cloud: correct what is named above and run again.";
    }
    if (failure instanceof ConflictException && String.valueOf(failure.getMessage()).contains("Plan again")) {
      return "Another run changed the stack meanwhile: run the same command again to plan afresh.";
    }
    if (failure instanceof ConflictException) {
      boolean named = cmd.getCommandSpec().findOption("--name") != null;
      return "If what is named above is not this stack's, give the stack another name" + (named ? " (--name)" : "")
          + "; if a change needs a resource replaced, remove the stack first (--destroy) and apply again.";
    }
    if (failure instanceof ApplyFailedException || failure instanceof WaitTimedOutException) {
      return "What was done is kept: run the same command again to resume from there.";
    }
    return "";
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** The message without carriage returns, cut after {@link #MAX_LINES} lines unless verbose. */
  static String shorten(String message, boolean verbose) {
    String text = String.valueOf(message).replace("\r\n", "\n").replace('\r', '\n').strip();
    long lines = text.lines().count();
    if (verbose || lines <= MAX_LINES) {
      return text;
    }
    return text.lines().limit(MAX_LINES).collect(Collectors.joining("\n")) + "\n  ... " + (lines - MAX_LINES)
        + " more lines (--verbose shows them)";
  }
}
