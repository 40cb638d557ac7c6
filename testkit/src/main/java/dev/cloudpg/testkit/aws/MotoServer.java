package dev.cloudpg.testkit.aws;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code moto_server} process (moto's AWS emulator) on a free loopback port, for tests and benchmarks:
 *
 * <pre>{@code
 * try (MotoServer moto = MotoServer.start()) {
 *   AwsCloud cloud = AwsCloud.builder().region("eu-west-1").endpointOverride(moto.endpoint())...
 * }
 * }</pre>
 *
 * <p>It listens on 127.0.0.1 only, on a port the system picks; {@link #close()} stops it, and so does the end of the
 * JVM if nobody closed it. Install it with {@code pip install 'moto[server]'}. Thread-safe.
 */
public final class MotoServer implements AutoCloseable {
  /** The command looked up on the {@code PATH}. */
  public static final String COMMAND = "moto_server";
  /** How to install the command, for messages. */
  public static final String INSTALL_HINT = "pip install 'moto[server]'";

  private static final Pattern RUNNING = Pattern.compile("Running on http://127\\.0\\.0\\.1:(\\d+)");
  private static final int KEPT_LINES = 40;

  private final Process process;
  private final URI endpoint;
  private final Deque<String> output;
  private final Thread shutdownHook;

  private MotoServer(Process process, URI endpoint, Deque<String> output) {
    this.process = process;
    this.endpoint = endpoint;
    this.output = output;
    this.shutdownHook = new Thread(this::stop, "moto-server-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * The {@code moto_server} executable on the {@code PATH}, if there is one.
   *
   * @return the first regular, executable file named {@value #COMMAND} in a {@code PATH} directory; empty when
   *     there is none
   */
  public static Optional<Path> findExecutable() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, COMMAND);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Starts {@code moto_server -H 127.0.0.1 -p 0} from the {@code PATH} and waits until it listens.
   *
   * @return the running server, which the caller closes
   * @throws IllegalStateException when the command is not installed, cannot be run, or does not start within 60
   *     seconds (the message holds its last output lines)
   */
  public static MotoServer start() {
    Path executable = findExecutable().orElseThrow(() -> new IllegalStateException(
        COMMAND + " is not on the PATH; install it with " + INSTALL_HINT));
    Process process;
    try {
      process = new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", "0").redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + executable + ": " + e.getMessage(), e);
    }
    Deque<String> output = new ArrayDeque<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          synchronized (output) {
            output.addLast(line);
            if (output.size() > KEPT_LINES) {
              output.removeFirst();
            }
          }
          Matcher m = RUNNING.matcher(line);
          if (!port.isDone() && m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (IOException e) {
        // the process ended; its exit is reported below
      }
      port.completeExceptionally(new IllegalStateException(COMMAND + " exited"));
    }, "moto-server-output");
    reader.setDaemon(true);
    reader.start();
    try {
      int listening = port.get(60, TimeUnit.SECONDS);
      return new MotoServer(process, URI.create("http://127.0.0.1:" + listening), output);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      destroy(process);
      throw new IllegalStateException("interrupted while starting " + COMMAND, e);
    } catch (ExecutionException | TimeoutException e) {
      destroy(process);
      String lines;
      synchronized (output) {
        lines = String.join("\n  ", output);
      }
      throw new IllegalStateException(COMMAND + " did not start listening within 60 s; its output:\n  " + lines, e);
    }
  }

  /**
   * The server's base URI, {@code http://127.0.0.1:<port>}: the endpoint of every AWS service it emulates.
   *
   * @return the base URI
   */
  public URI endpoint() {
    return endpoint;
  }

  /**
   * Forgets every resource the server holds ({@code POST /moto-api/reset}).
   *
   * @throws IllegalStateException when the server cannot be reached or answers with a status other than 200
   */
  public void reset() {
    try {
      HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/moto-api/reset").toURL().openConnection();
      c.setRequestMethod("POST");
      c.setConnectTimeout(10_000);
      c.setReadTimeout(30_000);
      c.setDoOutput(true);
      c.getOutputStream().close();
      int status = c.getResponseCode();
      c.getInputStream().close();
      if (status != 200) {
        throw new IllegalStateException(COMMAND + " answered the reset with HTTP " + status);
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not reset " + COMMAND + " at " + endpoint + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether the process still runs.
   *
   * @return true while the {@code moto_server} process is alive
   */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * The process id, for diagnostics.
   *
   * @return the operating system's id of the {@code moto_server} process
   */
  public long pid() {
    return process.pid();
  }

  /** Stops the server and waits for it to end. */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs or ran anyway
    }
  }

  private void stop() {
    destroy(process);
  }

  private static void destroy(Process process) {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return COMMAND + " at " + endpoint + " (pid " + process.pid() + ")";
  }
}
