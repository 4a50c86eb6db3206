package loadtest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Parley's side of the set-up, over the public REST API: a dev token per user
 * ({@code POST /api/v1/auth/dev-token}), one meeting per group created by its first user, and every
 * user joined ({@code POST /api/v1/meetings/{id}/join}). Calls run {@code concurrency} at a time.
 */
final class Setup {

  record Result(List<String> tokens, List<String> meetingIds) {
  }

  private final WebClient web;
  private final int concurrency;

  Setup(Vertx vertx, Options options) {
    this.web = WebClient.create(vertx, new WebClientOptions().setDefaultHost(options.host())
      .setDefaultPort(options.port()).setKeepAlive(true),
      new PoolOptions().setHttp1MaxSize(options.setupConcurrency()));
    this.concurrency = options.setupConcurrency();
  }

  Result run(int users, int meetings, String tenant) {
    List<String> tokens = inBatches(users, i -> post("/api/v1/auth/dev-token", null,
      new JsonObject().put("name", "load-user-" + i).put("tenant", tenant), 201).map(b -> b.getString("token")));
    List<String> meetingIds = inBatches(meetings, m -> post("/api/v1/meetings", tokens.get(m),
      new JsonObject().put("title", "Load test " + m), 201).map(b -> b.getString("id")));
    inBatches(users, i -> post("/api/v1/meetings/" + meetingIds.get(i % meetings) + "/join", tokens.get(i), null, 200)
      .map(b -> ""));
    return new Result(tokens, meetingIds);
  }

  void close() {
    web.close();
  }

  private <T> List<T> inBatches(int n, IntFunction<Future<T>> call) {
    List<T> out = new ArrayList<>(n);
    for (int from = 0; from < n; from += concurrency) {
      List<Future<T>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + concurrency); i++) {
        batch.add(call.apply(i));
      }
      Future.all(batch).await();
      batch.forEach(f -> out.add(f.result()));
    }
    return out;
  }

  private Future<JsonObject> post(String path, String token, JsonObject body, int expected) {
    var request = web.post(path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendJsonObject(body);
    return sent.compose(r -> r.statusCode() == expected
      ? Future.succeededFuture(r.bodyAsJsonObject())
      : Future.failedFuture("POST " + path.replaceAll("[0-9a-f-]{36}", "{id}") + " answered " + r.statusCode()
        + ": " + r.bodyAsString()));
  }
}
