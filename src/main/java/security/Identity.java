package security;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Who is calling: established once from a verified token and stamped by the gateway on every
 * event-bus message it forwards (header {@link #HEADER}). Services trust only that header, never
 * a sender named in a message body.
 */
public record Identity(String userId, String tenant, String name, String email, List<String> roles, String locale) {

  /** Event-bus header carrying the caller's identity as JSON. Set by the gateway only. */
  public static final String HEADER = "x-parley-identity";

  public Identity {
    roles = roles == null ? List.of() : List.copyOf(roles);
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  public boolean isAdmin() {
    return hasRole("admin");
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("userId", userId)
      .put("tenant", tenant)
      .put("name", name)
      .put("email", email)
      .put("roles", new JsonArray(roles))
      .put("locale", locale);
  }

  public static Identity fromJson(JsonObject json) {
    JsonArray roles = json.getJsonArray("roles", new JsonArray());
    return new Identity(json.getString("userId"), json.getString("tenant"), json.getString("name"),
      json.getString("email"), roles.stream().map(String::valueOf).toList(), json.getString("locale"));
  }
}
