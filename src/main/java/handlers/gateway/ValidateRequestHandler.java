package handlers.gateway;

import common.ParleyException;
import handlers.AuthenticateHandler;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.SecurityRequirement;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.SchemaValidationException;
import security.Identity;

import java.util.List;
import java.util.Set;

/**
 * Checks a JSON request body against the contract's schema before the service sees it, with
 * vertx-openapi's {@code RequestValidator}; a body that fails is answered 400 {@code bad_request}
 * with a message naming the field ({@link ValidationMessage}), and nothing reaches the service.
 *
 * <p>Behaviour stays what the services decide, so the gateway answers only where they would answer
 * 400 for the same request; everything else goes on to them, as before:
 * <ul>
 *   <li>only the operations in {@link #VALIDATED}: the others' first checks answer other statuses
 *       (a malformed path id is 404, a recording type other than WebM or MP4 is 415), or their
 *       bodies are ignored or streamed;</li>
 *   <li>a body that is not a JSON object sent as JSON, or none: the service answers 415 or 400 as it does;</li>
 *   <li>a caller without a role the operation's security requirement names ({@code bearer: [admin]}):
 *       the service answers 403 first;</li>
 *   <li>failures of {@link #LEFT_TO_SERVICES} keywords: an over-long string is 413, and the services'
 *       timestamp parser is more lenient than {@code format: date-time}.</li>
 * </ul>
 */
final class ValidateRequestHandler implements Handler<RoutingContext> {

  /** The operations whose bodies the gateway checks. */
  static final Set<String> VALIDATED = Set.of("createMeeting", "replaceTenant");
  /** Schema keywords whose failures the services answer themselves. */
  static final Set<String> LEFT_TO_SERVICES = Set.of("maxLength", "format");

  private final Future<ApiContract.Loaded> loaded;
  private final HttpMethod method;
  private final String path;
  private Operation operation;
  private JsonObject bodySchema;
  private boolean resolved;

  ValidateRequestHandler(Future<ApiContract.Loaded> loaded, HttpMethod method, String openApiPath) {
    this.loaded = loaded;
    this.method = method;
    this.path = openApiPath;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ApiContract.Loaded contract = loaded.result();
    if (contract == null || !resolve(contract) || !applies(ctx)) {
      ctx.next();
      return;
    }
    RequestUtils.extract(ctx.request(), operation, () -> Future.succeededFuture(ctx.body().buffer()))
      .compose(request -> contract.validator().validate(request, operation.getOperationId()))
      .onSuccess(validated -> ctx.next())
      .onFailure(err -> {
        String message = err instanceof SchemaValidationException invalid && invalid.getOutputUnit() != null
          ? ValidationMessage.of(invalid.getOutputUnit(), contract.json(), bodySchema, LEFT_TO_SERVICES) : null;
        if (message == null) {
          ctx.next();
        } else {
          ctx.fail(ParleyException.badRequest(message));
        }
      });
  }

  /** Finds this route's operation once; false when the gateway does not validate it. */
  private boolean resolve(ApiContract.Loaded contract) {
    if (!resolved) {
      resolved = true;
      Operation found = contract.contract().operations().stream()
        .filter(op -> op.getHttpMethod() == method && op.getOpenAPIPath().equals(path)).findFirst().orElse(null);
      if (found != null && VALIDATED.contains(found.getOperationId()) && found.getRequestBody() != null) {
        JsonObject body = contract.json().getJsonObject("paths").getJsonObject(path)
          .getJsonObject(method.name().toLowerCase(java.util.Locale.ROOT)).getJsonObject("requestBody");
        bodySchema = body.getJsonObject("content").getJsonObject("application/json").getJsonObject("schema");
        operation = found;
      }
    }
    return operation != null;
  }

  /** A JSON object sent as JSON, by a caller with the roles the operation asks for. */
  private boolean applies(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")
      || ctx.body() == null || ctx.body().buffer() == null) {
      return false;
    }
    try {
      if (!(ctx.body().asJsonObject() instanceof JsonObject)) {
        return false;
      }
    } catch (RuntimeException notAnObject) {
      return false;
    }
    Identity caller = AuthenticateHandler.identity(ctx);
    List<String> roles = caller == null ? List.of() : caller.roles();
    List<SecurityRequirement> requirements = operation.getSecurityRequirements();
    return requirements.isEmpty() || requirements.stream().anyMatch(requirement -> requirement.getNames().stream()
      .allMatch(name -> roles.containsAll(requirement.getScopes(name))));
  }
}
