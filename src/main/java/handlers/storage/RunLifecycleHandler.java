package handlers.storage;

import common.ParleyException;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

/**
 * {@code parley.lifecycle.run} ({@code POST /api/v1/admin/lifecycle/run}): an administrator runs a
 * lifecycle pass over their organisation's objects now and gets its report; 409 while a pass runs
 * on any node.
 */
public final class RunLifecycleHandler extends RequestHandler {

  private final LifecyclePass pass;

  public RunLifecycleHandler(LifecyclePass pass) {
    this.pass = pass;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    if (!caller.isAdmin()) {
      throw ParleyException.forbidden("only administrators can run the storage lifecycle");
    }
    return pass.run("admin", caller.tenant());
  }
}
