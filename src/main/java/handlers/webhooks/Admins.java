package handlers.webhooks;

import common.ParleyException;
import security.Identity;

/** Webhooks are the tenant administrators' business. */
final class Admins {

  private Admins() {
  }

  static void require(Identity caller) {
    if (!caller.isAdmin()) {
      throw ParleyException.forbidden("webhooks are for the organisation's administrators (admin role)");
    }
  }
}
