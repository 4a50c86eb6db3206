package telemetry;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops two library errors that Parley expects and reports itself in one line: Vert.x's
 * "SockJSSocket exception" (with a stack trace for every socket that drops or sends an oversized
 * frame; the bridge guard logs those), and the embedded PostgreSQL library's "Could not stop
 * postmaster" when a server that died is restarted (the supervisor logs the restart). Configured in
 * {@code logback.xml}.
 */
public final class QuietExpectedErrors extends TurboFilter {

  private static final String BRIDGE_LOGGER = "io.vertx.ext.web.handler.sockjs.impl.EventBusBridgeImpl";
  private static final String EMBEDDED_PG_LOGGER = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (logger == null || format == null) {
      return FilterReply.NEUTRAL;
    }
    if (BRIDGE_LOGGER.equals(logger.getName()) && "SockJSSocket exception".equals(format)) {
      return FilterReply.DENY;
    }
    if (EMBEDDED_PG_LOGGER.equals(logger.getName()) && format.startsWith("Could not stop postmaster")) {
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }
}
