package dev.cloudpg.spi;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/** Checks of endpoints a provider sends credentials to. */
public final class Endpoints {
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");

  private Endpoints() {}

  /**
   * Whether credentials may travel to {@code uri}: over TLS, or in clear only to this machine (a test fake on
   * loopback).
   *
   * @param uri where a request would go
   * @return true for an absolute {@code https} URI, or an {@code http} one to {@code localhost}, {@code 127.0.0.1} or
   *     {@code [::1]}; false otherwise, also for a URI without a host
   */
  public static boolean safeForCredentials(URI uri) {
    if (!uri.isAbsolute() || uri.getHost() == null) {
      return false;
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    return scheme.equals("https") || scheme.equals("http") && LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT));
  }
}
