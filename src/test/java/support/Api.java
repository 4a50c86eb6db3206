package support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * A blocking REST client for tests (calls {@code await()} from the JUnit thread, never from an
 * event loop), speaking only the public contract.
 */
public final class Api {

  public record Response(int status, String body, io.vertx.core.MultiMap headers) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonArray array(String field) {
      return json().getJsonArray(field);
    }

    public String errorCode() {
      return json().getJsonObject("error").getString("code");
    }

    public String errorMessage() {
      return json().getJsonObject("error").getString("message");
    }
  }

  private final WebClient client;

  public Api(Vertx vertx, int port) {
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  /** A dev-issuer token for {@code name} in {@code tenant}. */
  public String token(String name, String tenant, String... roles) {
    Response r = post("/api/v1/auth/dev-token", null, new JsonObject().put("name", name).put("tenant", tenant)
      .put("roles", new JsonArray(java.util.List.of(roles))));
    if (r.status() != 201) {
      throw new AssertionError("dev-token failed: " + r.status() + " " + r.body());
    }
    return r.json().getString("token");
  }

  public String userId(String token) {
    return get("/api/v1/me", token).json().getString("userId");
  }

  public Response get(String path, String token) {
    return send(HttpMethod.GET, path, token, null, null);
  }

  public Response post(String path, String token, JsonObject body) {
    return send(HttpMethod.POST, path, token, body == null ? null : body.toBuffer(), "application/json");
  }

  public Response patch(String path, String token, JsonObject body) {
    return send(HttpMethod.PATCH, path, token, body.toBuffer(), "application/json");
  }

  public Response put(String path, String token, JsonObject body) {
    return send(HttpMethod.PUT, path, token, body.toBuffer(), "application/json");
  }

  public Response send(HttpMethod method, String path, String token, Buffer body, String contentType) {
    HttpRequest<Buffer> request = client.request(method, path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    HttpResponse<Buffer> response = (body == null ? request.send() : request.sendBuffer(body)).await();
    return new Response(response.statusCode(), response.bodyAsString(), response.headers());
  }

  /** A POST with one extra request header. */
  public Response sendWithHeader(String path, String token, String header, String value, Buffer body, String contentType) {
    HttpRequest<Buffer> request = client.request(HttpMethod.POST, path).putHeader(header, value).putHeader("Content-Type", contentType);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    HttpResponse<Buffer> response = request.sendBuffer(body).await();
    return new Response(response.statusCode(), response.bodyAsString(), response.headers());
  }

  /** Creates a meeting and returns its id. */
  public String createMeeting(String token, String title) {
    Response r = post("/api/v1/meetings", token, new JsonObject().put("title", title));
    if (r.status() != 201) {
      throw new AssertionError("create meeting failed: " + r.status() + " " + r.body());
    }
    return r.json().getString("id");
  }

  public Response join(String token, String meetingId) {
    return post("/api/v1/meetings/" + meetingId + "/join", token, null);
  }

  /** Creates a meeting that the host ({@code hostToken}) and then each of {@code tokens} have joined; its id. */
  public String meetingWith(String hostToken, String title, String... tokens) {
    String id = createMeeting(hostToken, title);
    for (String t : java.util.stream.Stream.concat(java.util.stream.Stream.of(hostToken), java.util.Arrays.stream(tokens)).toList()) {
      Response r = join(t, id);
      if (r.status() != 200) {
        throw new AssertionError("join failed: " + r.status() + " " + r.body());
      }
    }
    return id;
  }

  public void close() {
    client.close();
  }
}
