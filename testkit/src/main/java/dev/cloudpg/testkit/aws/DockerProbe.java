package dev.cloudpg.testkit.aws;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Whether a Docker engine answers, found without Testcontainers in at most a few seconds and without logging:
 * Testcontainers' own search logs an error with every strategy it tried when there is none, and should only be asked
 * once something listens. It looks where Testcontainers does: {@code DOCKER_HOST}, {@code docker.host} or
 * {@code tc.host} in {@code ~/.testcontainers.properties}, then the usual sockets (system, rootless, Docker Desktop),
 * and sends {@code GET /_ping} to a socket it finds. Addresses it cannot speak to (named pipes, ssh, TLS) are left to
 * Testcontainers.
 */
final class DockerProbe {
  /** How long a connection or an answer may take. */
  static final Duration TIMEOUT = Duration.ofSeconds(2);
  /** The system socket of a Docker engine on Linux and macOS. */
  static final Path SYSTEM_SOCKET = Path.of("/var/run/docker.sock");

  private DockerProbe() {}

  /** Empty when an engine answers (or may: see the class comment), else why not, in one line. */
  static Optional<String> problem(Map<String, String> environment, Path home, List<Path> systemSockets) {
    String host = environment.get("DOCKER_HOST");
    if (host != null && !host.isBlank()) {
      return hostProblem(host.trim(), "1".equals(environment.get("DOCKER_TLS_VERIFY")));
    }
    Properties configured = testcontainersProperties(home);
    if (configured.getProperty("docker.host") != null || configured.getProperty("tc.host") != null) {
      return Optional.empty();
    }
    List<Path> candidates = new ArrayList<>(systemSockets);
    String runtime = environment.get("XDG_RUNTIME_DIR");
    if (runtime != null && !runtime.isBlank()) {
      candidates.add(Path.of(runtime, ".docker", "run", "docker.sock"));
      candidates.add(Path.of(runtime, "docker.sock"));
    }
    candidates.add(home.resolve(".docker/run/docker.sock"));
    candidates.add(home.resolve(".docker/desktop/docker.sock"));
    List<String> failures = new ArrayList<>();
    for (Path socket : candidates) {
      if (Files.exists(socket)) {
        Optional<String> failure = ping(UnixDomainSocketAddress.of(socket), "unix://" + socket);
        if (failure.isEmpty()) {
          return Optional.empty();
        }
        failures.add(failure.get());
      }
    }
    if (failures.isEmpty()) {
      return Optional.of("no Docker engine: DOCKER_HOST is not set and there is no socket at "
          + candidates.stream().map(Path::toString).collect(Collectors.joining(", ")));
    }
    return Optional.of(String.join("; ", failures));
  }

  private static Optional<String> hostProblem(String host, boolean tls) {
    URI uri;
    try {
      uri = URI.create(host);
    } catch (IllegalArgumentException e) {
      return Optional.of("DOCKER_HOST=" + host + " is not a URI");
    }
    if ("unix".equals(uri.getScheme()) && uri.getPath() != null) {
      Path socket = Path.of(uri.getPath());
      if (!Files.exists(socket)) {
        return Optional.of("no Docker engine: DOCKER_HOST=" + host + " names a socket that does not exist");
      }
      return ping(UnixDomainSocketAddress.of(socket), "DOCKER_HOST=" + host);
    }
    if ("tcp".equals(uri.getScheme()) && uri.getHost() != null) {
      InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort());
      // a TLS endpoint does not answer plain HTTP: that it accepts a connection is all this probe can tell
      return tls ? connects(address, "DOCKER_HOST=" + host) : ping(address, "DOCKER_HOST=" + host);
    }
    return Optional.empty();
  }

  private static Properties testcontainersProperties(Path home) {
    Properties properties = new Properties();
    Path file = home.resolve(".testcontainers.properties");
    if (Files.isRegularFile(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        properties.load(in);
      } catch (IOException | IllegalArgumentException e) {
        // unreadable: Testcontainers will not read it either
      }
    }
    return properties;
  }

  private static Optional<String> connects(SocketAddress address, String where) {
    try (SocketChannel channel = open(address); Selector selector = Selector.open()) {
      return connect(channel, address, selector, deadline()) ? Optional.empty()
          : Optional.of("no Docker engine answered at " + where + " within " + TIMEOUT.toSeconds() + " s");
    } catch (IOException e) {
      return Optional.of("no Docker engine answered at " + where + " (" + describe(e) + ")");
    }
  }

  /** Sends {@code GET /_ping} and expects an HTTP 200 within {@link #TIMEOUT}. */
  private static Optional<String> ping(SocketAddress address, String where) {
    long deadline = deadline();
    try (SocketChannel channel = open(address); Selector selector = Selector.open()) {
      if (!connect(channel, address, selector, deadline)) {
        return Optional.of("no Docker engine answered at " + where + " within " + TIMEOUT.toSeconds() + " s");
      }
      ByteBuffer request = ByteBuffer.wrap("GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
      while (request.hasRemaining()) {
        if (!await(selector, deadline)) {
          return Optional.of("the Docker socket at " + where + " takes no request");
        }
        channel.write(request);
      }
      key.interestOps(SelectionKey.OP_READ);
      ByteBuffer answer = ByteBuffer.allocate(64);
      while (answer.hasRemaining()) {
        if (!await(selector, deadline)) {
          break;
        }
        if (channel.read(answer) < 0 || hasLineEnd(answer)) {
          break;
        }
      }
      String status = new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII);
      int end = status.indexOf('\r');
      String firstLine = end < 0 ? status : status.substring(0, end);
      if (firstLine.startsWith("HTTP/1.") && firstLine.contains(" 200")) {
        return Optional.empty();
      }
      return Optional.of(firstLine.isEmpty()
          ? "no Docker engine answered at " + where + " within " + TIMEOUT.toSeconds() + " s"
          : "the Docker engine at " + where + " answered the ping with \"" + firstLine + "\"");
    } catch (IOException e) {
      return Optional.of("no Docker engine answered at " + where + " (" + describe(e) + ")");
    }
  }

  private static SocketChannel open(SocketAddress address) throws IOException {
    SocketChannel channel = address instanceof UnixDomainSocketAddress
        ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
    channel.configureBlocking(false);
    return channel;
  }

  private static boolean connect(SocketChannel channel, SocketAddress address, Selector selector, long deadline)
      throws IOException {
    if (channel.connect(address)) {
      return true;
    }
    SelectionKey key = channel.register(selector, SelectionKey.OP_CONNECT);
    while (await(selector, deadline)) {
      if (channel.finishConnect()) {
        key.cancel();
        selector.selectNow();
        return true;
      }
    }
    return false;
  }

  /** Waits for the registered operation until the deadline; false when it passed. */
  private static boolean await(Selector selector, long deadline) throws IOException {
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      if (selector.select(left) > 0) {
        selector.selectedKeys().clear();
        return true;
      }
    }
  }

  private static boolean hasLineEnd(ByteBuffer buffer) {
    for (int i = 0; i < buffer.position(); i++) {
      if (buffer.get(i) == '\n') {
        return true;
      }
    }
    return false;
  }

  private static long deadline() {
    return System.nanoTime() + TIMEOUT.toNanos();
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
