package dev.cloudpg.aws.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;
import software.amazon.awssdk.regions.Region;

/**
 * A client of one operation of the Resource Groups Tagging API, {@code GetResources}, in one region: the AWS SDK's
 * module for it is not in every Maven mirror, so cloudpg sends the JSON request itself, signed with the SDK's SigV4
 * signer over the SDK's HTTP client. Like the SDK clients of {@link AwsContext}, it sends each request once; errors
 * come out as the SDK's exceptions ({@link AwsServiceException} with the service's error code, an
 * {@link SdkClientException} over the I/O failure), so {@link AwsErrors} translates and classifies them as for any
 * other call, and the context's interceptors are told of each call (an {@code AwsCallCounter} counts it as
 * {@code ResourceGroupsTaggingApi.GetResources}). Thread-safe.
 */
final class TaggingClient {
  static final String SERVICE = "ResourceGroupsTaggingApi";
  private static final String TARGET = "ResourceGroupsTaggingAPI_20170126.GetResources";

  /** One resource as the API lists it: its ARN and its tags. */
  record Tagged(String arn, Map<String, String> tags) {
    Tagged {
      tags = Map.copyOf(tags);
    }

    /** The ARN's service: {@code ec2}, {@code rds}. */
    String service() {
      return arn.split(":", 6)[2];
    }

    /** The ARN's resource part: {@code vpc/vpc-0abc}, {@code cluster:orders}. */
    String resource() {
      return arn.split(":", 6)[5];
    }
  }

  private final String region;
  private final AwsCredentialsProvider credentials;
  private final SdkHttpClient http;
  private final URI endpoint;
  private final List<ExecutionInterceptor> interceptors;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  TaggingClient(String region, AwsCredentialsProvider credentials, SdkHttpClient http, URI endpointOverride,
      List<ExecutionInterceptor> interceptors) {
    this.region = region;
    this.credentials = credentials;
    this.http = http;
    this.endpoint = endpointOverride != null ? endpointOverride : URI.create("https://tagging." + region + "."
        + Optional.ofNullable(Region.of(region).metadata()).map(m -> m.partition().dnsSuffix())
            .orElse("amazonaws.com"));
    this.interceptors = List.copyOf(interceptors);
  }

  /**
   * Every resource of the region that carries the tag {@code key} (with one of {@code values}, or any value when
   * there are none) and is of one of {@code resourceTypes} ({@code ec2:vpc}, {@code rds:cluster}), every page.
   */
  List<Tagged> getResources(String key, List<String> values, List<String> resourceTypes) {
    List<Tagged> found = new ArrayList<>();
    String token = null;
    do {
      JsonNode page = call(body(key, values, resourceTypes, token));
      page.field("ResourceTagMappingList").map(JsonNode::asArray).orElse(List.of()).forEach(r -> {
        Map<String, String> tags = new LinkedHashMap<>();
        r.field("Tags").map(JsonNode::asArray).orElse(List.of()).forEach(t -> tags.put(text(t, "Key"),
            text(t, "Value")));
        found.add(new Tagged(text(r, "ResourceARN"), tags));
      });
      token = page.field("PaginationToken").filter(JsonNode::isString).map(JsonNode::text).filter(t -> !t.isEmpty())
          .orElse(null);
    } while (token != null);
    return found;
  }

  private static String text(JsonNode node, String field) {
    return node.field(field).filter(JsonNode::isString).map(JsonNode::text).orElse("");
  }

  private static byte[] body(String key, List<String> values, List<String> resourceTypes, String token) {
    JsonWriter w = JsonWriter.create();
    w.writeStartObject();
    w.writeFieldName("TagFilters");
    w.writeStartArray();
    w.writeStartObject();
    w.writeFieldName("Key");
    w.writeValue(key);
    if (!values.isEmpty()) {
      w.writeFieldName("Values");
      w.writeStartArray();
      values.forEach(w::writeValue);
      w.writeEndArray();
    }
    w.writeEndObject();
    w.writeEndArray();
    if (!resourceTypes.isEmpty()) {
      w.writeFieldName("ResourceTypeFilters");
      w.writeStartArray();
      resourceTypes.forEach(w::writeValue);
      w.writeEndArray();
    }
    w.writeFieldName("ResourcesPerPage");
    w.writeValue(100);
    if (token != null) {
      w.writeFieldName("PaginationToken");
      w.writeValue(token);
    }
    w.writeEndObject();
    return w.getBytes();
  }

  private JsonNode call(byte[] body) {
    ExecutionAttributes attributes = new ExecutionAttributes();
    attributes.putAttribute(SdkExecutionAttribute.SERVICE_NAME, SERVICE);
    attributes.putAttribute(SdkExecutionAttribute.OPERATION_NAME, "GetResources");
    interceptors.forEach(i -> i.beforeExecution(() -> null, attributes));
    SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
        .putHeader("Content-Type", "application/x-amz-json-1.1").putHeader("X-Amz-Target", TARGET).build();
    SignedRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials()).request(request)
        .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "tagging")
        .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    HttpExecuteResponse response;
    byte[] answer;
    try {
      response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
          .contentStreamProvider(signed.payload().orElse(null)).build()).call();
      answer = read(response);
    } catch (IOException | UncheckedIOException e) {
      throw SdkClientException.builder().message("Unable to execute HTTP request: " + e.getMessage()).cause(e)
          .build();
    }
    int status = response.httpResponse().statusCode();
    JsonNode json = answer.length == 0 ? JsonNode.emptyObjectNode() : JsonNodeParser.create().parse(answer);
    if (status / 100 != 2) {
      String type = text(json, "__type");
      String code = type.contains("#") ? type.substring(type.indexOf('#') + 1) : type.isEmpty() ? "Unknown" : type;
      String message = json.field("message").or(() -> json.field("Message")).filter(JsonNode::isString)
          .map(JsonNode::text).orElse("HTTP " + status);
      throw AwsServiceException.builder().statusCode(status).message(message)
          .requestId(response.httpResponse().firstMatchingHeader("x-amzn-RequestId").orElse(null))
          .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName(SERVICE)
              .build())
          .build();
    }
    return json;
  }

  private static byte[] read(HttpExecuteResponse response) throws IOException {
    Optional<? extends InputStream> body = response.responseBody();
    if (body.isEmpty()) {
      return new byte[0];
    }
    try (InputStream in = body.get()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }

  @Override
  public String toString() {
    return "Resource Groups Tagging API in " + region + " at " + endpoint;
  }
}
