package dev.cloudpg.testkit.mst;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A JDK HTTP server on 127.0.0.1 and a free port whose requests and answers are plain values, with Nagle's algorithm
 * off: the server writes a response's headers and body separately, and with Nagle on the body waits some 40 ms for
 * the client's delayed acknowledgement of the headers, which a client making one call at a time (the engine on a
 * virtual clock) pays on every request.
 */
final class LoopbackServer implements AutoCloseable {
  /** Read once, when the JDK's server configuration is first loaded; a value set by the user is kept. */
  private static final String NO_DELAY = "sun.net.httpserver.nodelay";

  /** A request as the fakes see it: the path is raw (still percent-encoded), the query raw or null. */
  record Call(String method, String path, String query, Map<String, String> headers, String body) {
    Optional<String> header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
          .findFirst();
    }

    /** Method and path only: headers carry tokens and bodies may carry passwords. */
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /** An answer; a null body sends none. */
  record Reply(int status, String body, Map<String, String> headers) {
    Reply(int status, String body) {
      this(status, body, Map.of());
    }

    /** This answer, dropped: the request took effect and the connection closes without a status line. */
    Reply lost() {
      Map<String, String> h = new java.util.HashMap<>(headers);
      h.put(LOST, "true");
      return new Reply(status, body, h);
    }

    /** The status only: a body may hold a service URI with its password. */
    @Override
    public String toString() {
      return "HTTP " + status;
    }
  }

  private static final String LOST = "X-Fake-Lost-Answer";

  private final HttpServer server;
  private final ExecutorService executor;

  private LoopbackServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  static LoopbackServer start(String name, Function<Call, Reply> handler) {
    if (System.getProperty(NO_DELAY) == null) {
      System.setProperty(NO_DELAY, "true");
    }
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, name + "-" + threads.incrementAndGet());
      // Worker threads alone never keep a JVM from exiting; close() stops the server's own thread.
      t.setDaemon(true);
      return t;
    });
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", exchange -> serve(exchange, handler));
      server.setExecutor(executor);
      server.start();
      return new LoopbackServer(server, executor);
    } catch (IOException e) {
      executor.shutdownNow();
      throw new UncheckedIOException("cannot start " + name + " on 127.0.0.1", e);
    }
  }

  /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
  URI root() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private static void serve(HttpExchange exchange, Function<Call, Reply> handler) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.isEmpty() ? "" : v.get(0)));
      URI uri = exchange.getRequestURI();
      Reply reply;
      try {
        reply = handler.apply(new Call(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), headers,
            body.isEmpty() ? null : body));
      } catch (RuntimeException e) {
        reply = new Reply(500, "{\"message\":\"fake server error: " + e.getClass().getSimpleName() + "\"}");
      }
      if (reply.headers().containsKey(LOST)) {
        return;
      }
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      if (reply.body() == null) {
        exchange.sendResponseHeaders(reply.status(), -1);
        return;
      }
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
