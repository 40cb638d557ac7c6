package dev.cloudpg.testkit.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerProbeTest {
  @TempDir
  Path dir;

  private ServerSocketChannel server;
  private Thread serving;
  private final CountDownLatch done = new CountDownLatch(1);

  @AfterEach
  void stop() throws Exception {
    done.countDown();
    if (server != null) {
      server.close();
    }
    if (serving != null) {
      serving.join(5_000);
    }
  }

  /** A unix socket that reads one request and answers it with {@code answer}, or holds it open when null. */
  private Path socket(String answer) throws IOException {
    Path path = dir.resolve("docker.sock");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    serving = new Thread(() -> {
      try (SocketChannel client = server.accept()) {
        client.read(ByteBuffer.allocate(1024));
        if (answer != null) {
          client.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.US_ASCII)));
        } else {
          done.await(10, TimeUnit.SECONDS);
        }
      } catch (IOException | InterruptedException e) {
        // closed by the test
      }
    }, "fake-docker");
    serving.setDaemon(true);
    serving.start();
    return path;
  }

  private Optional<String> probe(Map<String, String> environment, Path... systemSockets) {
    return DockerProbe.problem(environment, dir, List.of(systemSockets));
  }

  @Test
  void problem_whenNoDockerHostAndNoSocket_saysSoAtOnce() {
    long start = System.nanoTime();
    Optional<String> problem = probe(Map.of(), dir.resolve("missing.sock"));

    assertThat(problem).hasValueSatisfying(p -> assertThat(p).startsWith("no Docker engine: DOCKER_HOST is not set")
        .contains(dir.resolve("missing.sock").toString(), dir.resolve(".docker/run/docker.sock").toString()));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void problem_whenSocketAnswersPing_isEmpty() throws IOException {
    Path socket = socket("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK");

    assertThat(probe(Map.of(), socket)).isEmpty();
  }

  @Test
  void problem_whenDockerHostNamesAnsweringSocket_isEmpty() throws IOException {
    Path socket = socket("HTTP/1.0 200 OK\r\n\r\nOK");

    assertThat(probe(Map.of("DOCKER_HOST", "unix://" + socket), dir.resolve("missing.sock"))).isEmpty();
  }

  @Test
  void problem_whenSocketAnswersWithError_quotesTheAnswer() throws IOException {
    Path socket = socket("HTTP/1.1 500 Internal Server Error\r\n\r\n");

    assertThat(probe(Map.of(), socket)).hasValue("the Docker engine at unix://" + socket
        + " answered the ping with \"HTTP/1.1 500 Internal Server Error\"");
  }

  @Test
  void problem_whenSocketFileHasNoListener_saysNoEngineAnswered() throws IOException {
    Path socket = dir.resolve("stale.sock");
    try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      stale.bind(UnixDomainSocketAddress.of(socket));
    }
    assertThat(socket).exists();

    assertThat(probe(Map.of(), socket)).hasValueSatisfying(p -> assertThat(p)
        .startsWith("no Docker engine answered at unix://" + socket));
  }

  @Test
  void problem_whenSocketNeverAnswers_givesUpAfterTheTimeout() throws IOException {
    Path socket = socket(null);
    long start = System.nanoTime();

    Optional<String> problem = probe(Map.of(), socket);

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(problem).hasValue("no Docker engine answered at unix://" + socket + " within 2 s");
    assertThat(took).isBetween(DockerProbe.TIMEOUT.minusMillis(100), DockerProbe.TIMEOUT.plusSeconds(2));
  }

  @Test
  void problem_whenDockerHostTcpPortIsClosed_saysNoEngineAnswered() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    long start = System.nanoTime();

    Optional<String> problem = probe(Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + port));

    assertThat(problem).hasValueSatisfying(p -> assertThat(p)
        .startsWith("no Docker engine answered at DOCKER_HOST=tcp://127.0.0.1:" + port));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(DockerProbe.TIMEOUT.plusSeconds(1));
  }

  @Test
  void problem_whenDockerHostSocketIsMissing_namesIt() {
    assertThat(probe(Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock"))).hasValue(
        "no Docker engine: DOCKER_HOST=unix:///nonexistent/docker.sock names a socket that does not exist");
  }

  @Test
  void problem_whenTestcontainersPropertiesNameAHost_leavesItToTestcontainers() throws IOException {
    Files.writeString(dir.resolve(".testcontainers.properties"), "docker.host=tcp://docker.example:2375\n");

    assertThat(probe(Map.of(), dir.resolve("missing.sock"))).isEmpty();
  }

  @Test
  void problem_whenDockerHostIsNamedPipe_leavesItToTestcontainers() {
    assertThat(probe(Map.of("DOCKER_HOST", "npipe:////./pipe/docker_engine"), dir.resolve("missing.sock")))
        .isEmpty();
  }
}
