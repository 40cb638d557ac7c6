package dev.cloudpg.testkit.azure;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The JDK's HTTP server on a free loopback port, with Nagle's algorithm off. The server writes a response's headers
 * and body separately; with Nagle on, the body waits for the client's delayed acknowledgement of the headers, some
 * 40 ms on Linux, for every request. A client that makes its calls one at a time, as the engine does on a virtual
 * clock, would spend most of a run waiting for that.
 */
final class LoopbackHttp {
  /** Read once, when the JDK's server configuration is first loaded; a value set by the user is kept. */
  private static final String NO_DELAY = "sun.net.httpserver.nodelay";

  private LoopbackHttp() {}

  static HttpServer server() throws IOException {
    if (System.getProperty(NO_DELAY) == null) {
      System.setProperty(NO_DELAY, "true");
    }
    return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
  }
}
