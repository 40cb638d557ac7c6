package dev.cloudpg.mst.internal;

import com.azure.core.exception.HttpResponseException;
import dev.cloudpg.ProviderException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/** Small helpers around Azure SDK calls. */
final class AzureCalls {
  private AzureCalls() {}

  /** The result of a GET, or empty when ARM answers 404. */
  static <T> Optional<T> find(Supplier<T> get) {
    try {
      return Optional.ofNullable(get.get());
    } catch (HttpResponseException e) {
      if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    } catch (ProviderException e) {
      if (e.httpStatus() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** A GUID derived from the parts, the same on every run: the name of a role definition, say. */
  static String guid(String... parts) {
    return UUID.nameUUIDFromBytes(String.join("\n", parts).getBytes(StandardCharsets.UTF_8)).toString();
  }
}
