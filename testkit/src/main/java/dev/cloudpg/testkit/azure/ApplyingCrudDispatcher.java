package dev.cloudpg.testkit.azure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesResponseComposer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.lang.reflect.Field;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
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
 *   <li>Secrets are read and deleted without fabric8's DEBUG line {@code Entry found for query ...}, which prints
 *       the whole stored object, so no Secret's data reaches a log.
 * </ul>
 */
final class ApplyingCrudDispatcher extends KubernetesCrudDispatcher {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final AttributeSet SECRETS = new AttributeSet(new Attribute(KubernetesAttributesExtractor.PLURAL,
      "secrets"));

  private final CustomResourceSchemas schemas = new CustomResourceSchemas();
  /** The lock fabric8's dispatcher holds around every read and write of its store. */
  private final ReadWriteLock lock = storeLock(this);
  private final AtomicLong resourceVersion = new AtomicLong();
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
  public long requestResourceVersion() {
    long version = super.requestResourceVersion();
    resourceVersion.accumulateAndGet(version, Math::max);
    return version;
  }

  @Override
  public void reset() {
    super.reset();
    schemas.clear();
  }

  // ---- reads and deletes that touch Secrets ---------------------------------------------------------------------

  @Override
  public MockResponse handleGet(String path) {
    if (isWatch(path)) {
      return super.handleGet(path); // a watch logs no object
    }
    AttributeSet query = attributeExtractor.fromPath(path);
    return locked(lock.readLock(), () -> {
      List<Map.Entry<AttributeSet, String>> found = matching(query);
      if (found.stream().noneMatch(e -> e.getKey().matches(SECRETS))) {
        return super.handleGet(path);
      }
      return answer(query, found);
    });
  }

  @Override
  public MockResponse handleDelete(String path) {
    AttributeSet query = attributeExtractor.fromPath(path);
    return locked(lock.writeLock(), () -> {
      List<Map.Entry<AttributeSet, String>> found = matching(query);
      if (found.stream().noneMatch(e -> e.getKey().matches(SECRETS))) {
        return super.handleDelete(path);
      }
      for (Map.Entry<AttributeSet, String> entry : found) {
        delete(path, query, entry.getKey(), entry.getValue());
      }
      return answer(query, found);
    });
  }

  /** What fabric8's dispatcher answers to a GET or DELETE, from the objects it found. */
  private MockResponse answer(AttributeSet query, List<Map.Entry<AttributeSet, String>> found) {
    if (query.containsKey(KubernetesAttributesExtractor.NAME)) {
      return found.isEmpty() ? new MockResponse().setResponseCode(HttpURLConnection.HTTP_NOT_FOUND)
          : new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK).setBody(found.get(0).getValue());
    }
    List<String> items = new ArrayList<>();
    found.forEach(e -> items.add(e.getValue()));
    return new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK)
        .setBody(((KubernetesResponseComposer) responseComposer).compose(items, String.valueOf(resourceVersion.get())));
  }

  /** fabric8's delete: gone when no finalizer is left, else marked for deletion once. */
  private void delete(String path, AttributeSet query, AttributeSet key, String json) {
    GenericKubernetesResource resource = SERIALIZATION.unmarshal(json, GenericKubernetesResource.class);
    if (resource.getFinalizers().isEmpty()) {
      processEvent(path, query, key, null, null);
    } else if (!resource.isMarkedForDeletion()) {
      resource.getMetadata().setDeletionTimestamp(ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
          .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
      resource.getMetadata().setResourceVersion(String.valueOf(requestResourceVersion()));
      processEvent(path, query, key, resource, SERIALIZATION.asJson(resource));
    }
  }

  private List<Map.Entry<AttributeSet, String>> matching(AttributeSet query) {
    List<Map.Entry<AttributeSet, String>> found = new ArrayList<>();
    synchronized (map) {
      for (Map.Entry<AttributeSet, String> e : map.entrySet()) {
        if (e.getKey().matches(query)) {
          found.add(Map.entry(e.getKey(), e.getValue()));
        }
      }
    }
    return found;
  }

  private static boolean isWatch(String path) {
    try {
      String q = new URI(path).getQuery();
      return q != null && q.contains("watch=true");
    } catch (java.net.URISyntaxException e) {
      return false;
    }
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
