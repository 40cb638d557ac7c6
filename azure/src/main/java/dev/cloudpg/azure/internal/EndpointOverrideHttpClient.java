package dev.cloudpg.azure.internal;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import dev.cloudpg.spi.Text;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import reactor.core.publisher.Mono;

/**
 * Sends requests meant for a public Azure endpoint to another base URI, such as a loopback fake. The rewrite happens
 * in the transport, after every pipeline policy ran, so the authentication policies see the public HTTPS URL they
 * insist on while the bytes go to the override.
 */
final class EndpointOverrideHttpClient implements HttpClient {
  private final HttpClient delegate;
  private final String from;
  private final String to;

  EndpointOverrideHttpClient(HttpClient delegate, String publicEndpoint, URI override) {
    this.delegate = delegate;
    this.from = stripSlash(publicEndpoint);
    this.to = stripSlash(override.toString());
  }

  @Override
  public Mono<HttpResponse> send(HttpRequest request) {
    return delegate.send(rewrite(request));
  }

  @Override
  public Mono<HttpResponse> send(HttpRequest request, Context context) {
    return delegate.send(rewrite(request), context);
  }

  @Override
  public HttpResponse sendSync(HttpRequest request, Context context) {
    return delegate.sendSync(rewrite(request), context);
  }

  private HttpRequest rewrite(HttpRequest request) {
    String url = request.getUrl().toString();
    if (url.regionMatches(true, 0, from, 0, from.length())) {
      try {
        request.setUrl(new URL(to + url.substring(from.length())));
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException("cannot redirect " + Text.quote(url) + " to " + Text.quote(to), e);
      }
    }
    return request;
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
