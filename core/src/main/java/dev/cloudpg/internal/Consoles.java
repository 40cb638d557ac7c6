package dev.cloudpg.internal;

import dev.cloudpg.ProvisioningListener;
import java.io.PrintStream;

/**
 * Picks the console view: the live view ({@link LiveConsole}) when standard output is a terminal that can redraw
 * and JLine is on the class path, else one line per transition ({@link LineConsole}). {@code CLOUDPG_CONSOLE=plain}
 * asks for the lines anyway.
 */
public final class Consoles {
  private Consoles() {}

  /** The view for standard output. */
  public static ProvisioningListener standardOutput() {
    if (System.console() != null && !"plain".equals(System.getenv("CLOUDPG_CONSOLE")) && jlinePresent()) {
      ProvisioningListener live = LiveConsole.forSystemTerminal();
      if (live != null) {
        return live;
      }
    }
    return new LineConsole(System.out);
  }

  /** One line per transition on {@code out}. */
  public static ProvisioningListener lines(PrintStream out) {
    return new LineConsole(out);
  }

  private static boolean jlinePresent() {
    try {
      Class.forName("org.jline.terminal.TerminalBuilder", false, Consoles.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
