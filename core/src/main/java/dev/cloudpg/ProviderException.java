package dev.cloudpg;

import java.util.Optional;

/**
 * A cloud API refused a request. Carries the provider ({@code aws}, {@code azure}, {@code mst}), the API's error code
 * and request id, and whether the engine may retry it (throttling, transient server errors, eventual consistency).
 */
public class ProviderException extends CloudpgException {
  private static final long serialVersionUID = 1L;
  /** The provider's name. */
  private final String provider;
  /** The API's error code. */
  private final String errorCode;
  /** The API's request id, or null. */
  private final String requestId;
  /** The HTTP status, or 0. */
  private final int httpStatus;
  /** Whether the engine may retry the request. */
  private final boolean retryable;

  /**
   * Makes the exception; the message reads {@code aws error Throttling (HTTP 400): Rate exceeded [request id ...]}.
   *
   * @param provider the provider's name: {@code aws}, {@code azure}, {@code mst}
   * @param errorCode the API's error code, such as {@code Throttling}
   * @param message the API's message, without secrets
   * @param requestId the API's request id, or null when it gave none
   * @param httpStatus the HTTP status, or 0 when there was none
   * @param retryable whether the engine may retry the request: throttling, transient server errors, eventual
   *     consistency
   * @param cause the SDK's exception, or null
   */
  public ProviderException(String provider, String errorCode, String message, String requestId, int httpStatus,
      boolean retryable, Throwable cause) {
    super(provider + " error " + errorCode + (httpStatus > 0 ? " (HTTP " + httpStatus + ")" : "") + ": " + message
        + (requestId == null ? "" : " [request id " + requestId + "]"), cause);
    this.provider = provider;
    this.errorCode = errorCode;
    this.requestId = requestId;
    this.httpStatus = httpStatus;
    this.retryable = retryable;
  }

  /**
   * The provider whose API refused the request.
   *
   * @return {@code aws}, {@code azure} or {@code mst}
   */
  public String provider() {
    return provider;
  }

  /**
   * The API's error code, to match on.
   *
   * @return the error code, such as {@code Throttling} or {@code ResourceNotFound}
   */
  public String errorCode() {
    return errorCode;
  }

  /**
   * The API's id of the request, to quote to the cloud's support.
   *
   * @return the request id, or empty when the API gave none
   */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  /**
   * The HTTP status, or 0 when there was none.
   *
   * @return the status code, or 0
   */
  public int httpStatus() {
    return httpStatus;
  }

  /**
   * Whether the engine may retry the request (throttling, transient server errors, eventual consistency); the default
   * {@link dev.cloudpg.spi.Provider#retry} retries exactly these.
   *
   * @return true if the request may succeed when sent again
   */
  public boolean retryable() {
    return retryable;
  }
}
