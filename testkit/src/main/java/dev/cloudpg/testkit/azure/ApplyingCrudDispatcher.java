package dev.cloudpg.testkit.azure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.lang.reflect.Field;
import java.net.HttpURLConnection;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.Supplier;

/**
 * fabric8's CRUD dispatcher made closer to a real API server:
 *
 * <ul>
 *   <li>server-side apply: fabric8 answers an apply patch with 415 when the object exists and 404 when it does not;
 *       here an apply of a missing object creates it (a POST of the applied object to its collection) and an apply
 *       of an existing one is a JSON merge patch, which is what a single field manager that forces conflicts sees of
 *       server-side apply;
 *   <li>JSON merge patches (and so applies) replace arrays, as RFC 7386 says, where fabric8 appends to them;
 *   <li>custom objects are validated against the {@code openAPIV3Schema} of their CRD ({@link CustomResourceSchemas})
 *       whenever they are written (create, update, patch, apply, status), and refused with the API server's 422;
 * </ul>
 */
final class ApplyingCrudDispatcher extends KubernetesCrudDispatcher {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final CustomResourceSchemas schemas = new CustomResourceSchemas();
  /** The lock fabric8's dispatcher holds around every read and write of its store. */
  private final ReadWriteLock lock = storeLock(this);
  /** Set while this thread writes through a request that the API server would validate. */
  private final ThreadLocal<Boolean> validating = ThreadLocal.withInitial(() -> Boolean.FALSE);

  /** A write refused by the schema of its kind, with the body of the API server's answer. */
  private static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String status;

    Refused(String status) {
      super(null, null, false, false);
      this.status = status;
    }
  }

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    return validated(() -> super.handleCreate(request));
  }

  @Override
  public MockResponse handleUpdate(RecordedRequest request) {
    return validated(() -> super.handleUpdate(request));
  }

  /**
   * A JSON patch is fabric8's; a JSON merge patch and a server-side apply are merged here as RFC 7386 says (fabric8
   * merges with Jackson, which appends to arrays instead of replacing them) and stored as an update, under the store's
   * lock so that no other write comes between the read and the update.
   */
  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    String contentType = String.valueOf(request.getHeader("Content-Type"));
    boolean apply = contentType.startsWith("application/apply-patch");
    if (!apply && !contentType.startsWith("application/merge-patch+json")) {
      return validated(() -> {
        try {
          return super.handlePatch(request);
        } catch (JsonPatchException e) {
          // fabric8 lets this escape, and the request never gets an answer; the API server says 422
          return new MockResponse().setResponseCode(422).setHeader("Content-Type", "application/json")
              .setBody(CustomResourceSchemas.invalidRequest(e.getMessage()));
        }
      });
    }
    String path = request.getPath();
    int query = path.indexOf('?');
    String resource = query < 0 ? path : path.substring(0, query);
    String body = request.getBody().readUtf8();
    return locked(lock.writeLock(), () -> {
      MockResponse current = handleGet(resource);
      if (current.code() == HttpURLConnection.HTTP_NOT_FOUND) {
        if (!apply || resource.endsWith("/status") || resource.endsWith("/scale")) {
          return current;
        }
        String collection = resource.substring(0, resource.lastIndexOf('/'));
        return handleCreate(new RecordedRequest(request.getHttpVersion(), HttpMethod.POST, collection,
            request.getHeaders(), new Buffer().writeUtf8(body)));
      }
      JsonNode merged;
      try {
        merged = mergePatch(parse(current.getBody().readUtf8()), YAML.readTree(body));
      } catch (JsonProcessingException e) {
        return new MockResponse().setResponseCode(HttpURLConnection.HTTP_BAD_REQUEST);
      }
      return handleUpdate(new RecordedRequest(request.getHttpVersion(), HttpMethod.PUT, resource,
          request.getHeaders().newBuilder().set("Content-Type", "application/json").build(),
          new Buffer().writeUtf8(merged.toString())));
    });
  }

  /** RFC 7386: objects merge field by field, null removes a field, anything else replaces. */
  static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
        : MAPPER.createObjectNode();
    patch.fields().forEachRemaining(e -> {
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else {
        result.set(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
      }
    });
    return result;
  }

  private MockResponse validated(Supplier<MockResponse> write) {
    boolean outer = !validating.get();
    validating.set(Boolean.TRUE);
    try {
      return write.get();
    } catch (Refused e) {
      return new MockResponse().setResponseCode(422).setHeader("Content-Type", "application/json")
          .setBody(e.status);
    } finally {
      if (outer) {
        validating.remove();
      }
    }
  }

  /** Every write of fabric8's handlers ends here with the object to store, under the store's write lock. */
  @Override
  public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
      GenericKubernetesResource resource, String newState) {
    JsonNode stored = newState == null ? null : parse(newState);
    if (stored != null && validating.get()) {
      Optional<String> refusal = schemas.refusal(stored);
      if (refusal.isPresent()) {
        throw new Refused(refusal.get());
      }
    }
    String existing = oldAttributes == null ? null : map.get(oldAttributes);
    super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    if (CustomResourceSchemas.isDefinition(stored)) {
      schemas.stored(stored);
    } else if (stored == null && existing != null) {
      JsonNode deleted = parse(existing);
      if (CustomResourceSchemas.isDefinition(deleted)) {
        schemas.removed(deleted);
      }
    }
  }

  @Override
  public void reset() {
    super.reset();
    schemas.clear();
  }

  private static <T> T locked(Lock lock, Supplier<T> body) {
    lock.lock();
    try {
      return body.get();
    } finally {
      lock.unlock();
    }
  }

  private static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("fabric8's dispatcher stored an object that is not JSON", e);
    }
  }

  /** fabric8 keeps the lock private; reads and deletes done here must hold it as its own do. */
  private static ReadWriteLock storeLock(KubernetesCrudDispatcher dispatcher) {
    try {
      Field field = KubernetesCrudDispatcher.class.getDeclaredField("lock");
      field.setAccessible(true);
      return (ReadWriteLock) field.get(dispatcher);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("this fabric8 mock server keeps no lock where FakeKubernetes expects it", e);
    }
  }
}
