package dev.cloudpg.mst.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cloudpg.ProviderException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The JSON-over-HTTP edges of the Graph client, against loopback servers on 127.0.0.1. */
class GraphTransportTest {
  private static final String TOKEN = "graph-token-3f9a";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AtomicInteger tokensIssued = new AtomicInteger();
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

  /** A request a loopback server saw: method, path with its raw query, Authorization header. */
  record Seen(String method, String uri, String authorization) {}

  /** What a loopback server answers. */
  record Answer(int status, String body, Map<String, String> headers) {
    Answer(int status, String body) {
      this(status, body, Map.of());
    }
  }

  interface Handler {
    Answer answer(Seen request, URI root);
  }

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  private URI serve(List<Seen> seen, Handler handler) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    URI root = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    server.createContext("/", exchange -> reply(exchange, seen, handler, root));
    server.start();
    servers.add(server);
    return root;
  }

  private static void reply(HttpExchange exchange, List<Seen> seen, Handler handler, URI root) throws IOException {
    exchange.getRequestBody().readAllBytes();
    Seen request = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
        exchange.getRequestHeaders().getFirst("Authorization"));
    seen.add(request);
    Answer answer = handler.answer(request, root);
    answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    byte[] body = answer.body() == null ? new byte[0] : answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
    exchange.close();
  }

  private TokenCredential credential(Duration validFor) {
    return request -> {
      tokensIssued.incrementAndGet();
      return Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plus(validFor)));
    };
  }

  private GraphTransport transport(URI root) {
    return GraphTransport.create(URI.create(root + "/v1.0/"), credential(Duration.ofHours(1)),
        EntraDirectory.GRAPH_SCOPE, JSON);
  }

  @Test
  void list_whenGraphPages_followsEveryNextLinkOnTheSameHost() throws IOException {
    List<Seen> seen = new CopyOnWriteArrayList<>();
    URI root = serve(seen, (request, base) -> request.uri().contains("skiptoken")
        ? new Answer(200, "{\"value\":[{\"id\":\"b\",\"appId\":\"2\",\"tags\":[\"t\"]}]}")
        : new Answer(200, "{\"value\":[{\"id\":\"a\",\"appId\":\"1\",\"tags\":[\"t\"]}],\"@odata.nextLink\":\""
            + base + "/v1.0/servicePrincipals?$filter=x&$skiptoken=abc\"}"));
    EntraDirectory directory = EntraDirectory.create(credential(Duration.ofHours(1)), URI.create(root + "/v1.0"));

    List<EntraServicePrincipal> principals = directory.servicePrincipalsTagged("t");

    assertThat(principals).extracting(EntraServicePrincipal::objectId).containsExactly("a", "b");
    assertThat(seen).hasSize(2).allMatch(r -> ("Bearer " + TOKEN).equals(r.authorization()));
    assertThat(seen.get(0).uri()).isEqualTo("/v1.0/servicePrincipals?$filter=tags%2Fany%28t%3At%20eq%20%27t%27%29");
  }

  @Test
  void list_whenNextLinkLeadsToAnotherHost_refusesItAndSendsItNoToken() throws IOException {
    List<Seen> elsewhere = new CopyOnWriteArrayList<>();
    URI other = serve(elsewhere, (request, base) -> new Answer(200, "{\"value\":[]}"));
    List<Seen> seen = new CopyOnWriteArrayList<>();
    URI root = serve(seen, (request, base) -> new Answer(200, "{\"value\":[{\"id\":\"t1\"}],\"@odata.nextLink\":\""
        + other + "/v1.0/organization?$skiptoken=1\"}"));

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> transport(root).list("/organization"));

    assertThat(e.errorCode()).isEqualTo("UNTRUSTED_NEXT_LINK");
    assertThat(e.retryable()).isFalse();
    assertThat(elsewhere).isEmpty();
    assertThat(seen).hasSize(1);
  }

  @Test
  void send_whenRedirected_doesNotFollowWithTheToken() throws IOException {
    List<Seen> elsewhere = new CopyOnWriteArrayList<>();
    URI other = serve(elsewhere, (request, base) -> new Answer(200, "{\"id\":\"x\"}"));
    URI root = serve(new CopyOnWriteArrayList<>(), (request, base) -> new Answer(302, null,
        Map.of("Location", other + "/v1.0/applications/x")));

    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> transport(root).send("GET", "/applications/x", null));

    assertThat(e.httpStatus()).isEqualTo(302);
    assertThat(e.errorCode()).isEqualTo("HTTP_302");
    assertThat(elsewhere).isEmpty();
  }

  @Test
  void send_whenAPostIsAnswered503WithRetryAfterZero_sendsItOnceAndThrowsRetryable() throws IOException {
    List<Seen> seen = new CopyOnWriteArrayList<>();
    URI root = serve(seen, (request, base) -> new Answer(503, "{\"error\":{\"code\":\"serviceNotAvailable\","
        + "\"message\":\"try later\"}}", Map.of("Retry-After", "0", "request-id", "req-1")));
    EntraDirectory directory = EntraDirectory.create(credential(Duration.ofHours(1)), URI.create(root + "/v1.0"));

    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> directory.addPassword("app", "step", Instant.now(), Duration.ofHours(1)));

    assertThat(e.provider()).isEqualTo("azure");
    assertThat(e.errorCode()).isEqualTo("serviceNotAvailable");
    assertThat(e.requestId()).contains("req-1");
    assertThat(e.retryable()).isTrue();
    assertThat(seen).hasSize(1);
  }

  @Test
  void send_whenGraphAnswersWithoutAnErrorBody_mapsTheStatus() throws IOException {
    URI root = serve(new CopyOnWriteArrayList<>(), (request, base) -> request.uri().contains("gateway")
        ? new Answer(502, "<html>bad gateway</html>") : new Answer(501, ""));
    GraphTransport transport = transport(root);

    ProviderException gateway = catchThrowableOfType(ProviderException.class,
        () -> transport.send("GET", "/gateway", null));
    ProviderException notImplemented = catchThrowableOfType(ProviderException.class,
        () -> transport.send("GET", "/other", null));

    assertThat(gateway.errorCode()).isEqualTo("HTTP_502");
    assertThat(gateway.retryable()).isTrue();
    assertThat(gateway.getMessage()).doesNotContain("html");
    assertThat(notImplemented.errorCode()).isEqualTo("HTTP_501");
    assertThat(notImplemented.retryable()).isFalse();
  }

  @Test
  void send_whenTheAnswerIsNotJson_doesNotQuoteIt() throws IOException {
    URI root = serve(new CopyOnWriteArrayList<>(), (request, base) -> new Answer(200, "{\"secretText\":\"s3cr3t"));

    assertThatThrownBy(() -> transport(root).send("POST", "/applications/a/addPassword", Map.of()))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.errorCode()).isEqualTo("INVALID_RESPONSE");
          assertThat(e.getMessage()).doesNotContain("s3cr3t");
        });
  }

  @Test
  void send_whenTheConnectionFails_throwsRetryableWithoutTheToken() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    GraphTransport offline = transport(URI.create("http://127.0.0.1:" + port));

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> offline.send("GET", "/organization",
        null));

    assertThat(e.errorCode()).isEqualTo("CONNECTION_FAILED");
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).doesNotContain(TOKEN);
  }

  @Test
  void token_whenStillValid_isFetchedOnceAndReplacedShortlyBeforeItExpires() throws IOException {
    URI root = serve(new CopyOnWriteArrayList<>(), (request, base) -> new Answer(200, "{\"value\":[]}"));
    GraphTransport lasting = transport(root);
    GraphTransport expiring = GraphTransport.create(URI.create(root + "/v1.0"), credential(Duration.ofSeconds(30)),
        EntraDirectory.GRAPH_SCOPE, JSON);

    lasting.list("/organization");
    lasting.list("/organization");
    assertThat(tokensIssued).hasValue(1);
    expiring.list("/organization");
    expiring.list("/organization");
    assertThat(tokensIssued).hasValue(3);
  }

  @Test
  void create_whenTheBaseIsPlainHttpToAnotherHost_refusesIt() {
    assertThatThrownBy(() -> EntraDirectory.create(credential(Duration.ofHours(1)),
        URI.create("http://graph.example.com/v1.0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be https");
    assertThat(tokensIssued).hasValue(0);
  }
}
