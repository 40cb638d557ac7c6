package dev.cloudpg.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs {@code cloudpg-examples} in this JVM with standard output and error captured. */
record Console(int status, String out, String err) {
  static Console run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int status;
    try {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
      status = Examples.execute(args);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return new Console(status, printed.toString(StandardCharsets.UTF_8), errors.toString(StandardCharsets.UTF_8));
  }
}
