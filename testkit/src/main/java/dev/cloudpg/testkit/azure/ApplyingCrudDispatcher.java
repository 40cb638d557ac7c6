package dev.cloudpg.testkit.azure;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * fabric8's CRUD dispatcher with server-side apply added: it answers an apply patch with 415 when the object exists
 * and 404 when it does not. Here an apply of a missing object creates it (a POST of the applied object to its
 * collection) and an apply of an existing one is a JSON merge patch, which is what a single field manager that
 * forces conflicts sees of server-side apply.
 */
final class ApplyingCrudDispatcher extends KubernetesCrudDispatcher {

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    String contentType = request.getHeader("Content-Type");
    if (contentType == null || !contentType.startsWith("application/apply-patch")) {
      return super.handlePatch(request);
    }
    String path = request.getPath();
    int query = path.indexOf('?');
    String resource = query < 0 ? path : path.substring(0, query);
    if (handleGet(resource).code() == 404) {
      String collection = resource.substring(0, resource.lastIndexOf('/'));
      return handleCreate(new RecordedRequest(request.getHttpVersion(), HttpMethod.POST, collection,
          request.getHeaders(), request.getBody()));
    }
    return super.handlePatch(new RecordedRequest(request.getHttpVersion(), HttpMethod.PATCH, path,
        request.getHeaders().newBuilder().set("Content-Type", "application/merge-patch+json").build(),
        request.getBody()));
  }
}
