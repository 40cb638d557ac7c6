package dev.cloudpg.testkit.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MotoServerTest {

  private static String get(URI uri) throws IOException {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    try (InputStream in = c.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void start_whenInstalled_listensOnLoopbackAndStopsOnClose() throws Exception {
    assumeTrue(MotoServer.findExecutable().isPresent(), MotoServer.INSTALL_HINT);
    MotoServer moto = MotoServer.start();
    try {
      assertThat(moto.endpoint().getHost()).isEqualTo("127.0.0.1");
      assertThat(moto.endpoint().getPort()).isPositive();
      assertThat(get(moto.endpoint().resolve("/moto-api/data.json"))).startsWith("{");
      moto.reset();
    } finally {
      moto.close();
    }
    assertThat(moto.isAlive()).isFalse();
  }
}
