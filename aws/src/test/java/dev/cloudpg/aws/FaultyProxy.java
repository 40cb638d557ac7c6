package dev.cloudpg.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback HTTP proxy in front of an AWS-compatible endpoint (moto) that counts the requests it receives by their
 * operation (the query {@code Action}, or the operation of the {@code X-Amz-Target} header of JSON APIs such as
 * DynamoDB) and answers chosen ones with a fault, as the real service or network sometimes does: a
 * throttling error, or a response lost after the request took effect. Binds 127.0.0.1 on a free port.
 */
final class FaultyProxy implements AutoCloseable {
  /** What to do to a request instead of forwarding its answer. */
  enum Fault {
    /** Answer 400 with the service's throttling error, without forwarding the request. */
    THROTTLE,
    /** Forward the request, so that it takes effect, then close the connection without an answer. */
    LOSE_RESPONSE
  }

  private static final Pattern SERVICE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request");
  private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host",
      "upgrade", "transfer-encoding", "keep-alive", "date", "from", "via", "warning");

  private final URI target;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();

  private FaultyProxy(URI target) throws IOException {
    this.target = target;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  static FaultyProxy start(URI target) {
    try {
      return new FaultyProxy(target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The proxy's endpoint, to give the SDK instead of the target's. */
  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The next request with this {@code Action} gets {@code fault}; faults queue up in order. */
  FaultyProxy failNext(String action, Fault fault) {
    faults.computeIfAbsent(action, a -> new ArrayDeque<>()).add(fault);
    return this;
  }

  /** How many requests with this {@code Action} reached the proxy. */
  int requests(String action) {
    AtomicInteger n = requests.get(action);
    return n == null ? 0 : n.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    // JSON APIs (DynamoDB, the Tagging API) name the operation in a header, query APIs (EC2, RDS) in the form
    String action = target != null ? target.substring(target.lastIndexOf('.') + 1)
        : action(exchange.getRequestURI().getRawQuery() + "&" + new String(body, StandardCharsets.UTF_8));
    requests.computeIfAbsent(action, a -> new AtomicInteger()).incrementAndGet();
    Fault fault = next(action);
    if (fault == Fault.THROTTLE) {
      respond(exchange, 400, throttling(exchange), "text/xml");
      return;
    }
    HttpResponse<byte[]> answer = forward(exchange, body);
    if (fault == Fault.LOSE_RESPONSE) {
      // an exception out of the handler makes the server drop the connection without answering
      throw new IOException("response to " + action + " lost on purpose");
    }
    answer.headers().map().forEach((name, values) -> {
      if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
        exchange.getResponseHeaders().put(name, values);
      }
    });
    respond(exchange, answer.statusCode(), answer.body(), null);
  }

  private synchronized Fault next(String action) {
    Deque<Fault> queued = faults.get(action);
    return queued == null ? null : queued.poll();
  }

  private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(v -> request.header(name, v));
      }
    });
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** The throttling error of the service the request was signed for, as that service writes it. */
  private static byte[] throttling(HttpExchange exchange) {
    Matcher m = SERVICE.matcher(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
    String service = m.find() ? m.group(1) : "ec2";
    String xml = service.equals("ec2")
        ? "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message>"
            + "</Error></Errors><RequestID>throttled-by-proxy</RequestID></Response>"
        : "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message>"
            + "</Error><RequestId>throttled-by-proxy</RequestId></ErrorResponse>";
    return xml.getBytes(StandardCharsets.UTF_8);
  }

  private static void respond(HttpExchange exchange, int status, byte[] body, String contentType) throws IOException {
    if (contentType != null) {
      exchange.getResponseHeaders().put("Content-Type", List.of(contentType));
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String action(String form) {
    for (String pair : form.split("&")) {
      if (pair.startsWith("Action=")) {
        return URLDecoder.decode(pair.substring("Action=".length()), StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
