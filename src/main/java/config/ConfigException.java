package config;

/** A configuration problem; its message is the one line printed before start-up stops. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
