package security;

import java.util.regex.Pattern;

/** Tenant ids appear in Redis keys, blob keys and metric labels: they are kept to a safe shape. */
public final class Tenants {

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  private Tenants() {
  }

  public static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }
}
