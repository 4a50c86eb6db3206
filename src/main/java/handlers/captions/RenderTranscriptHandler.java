package handlers.captions;

import common.Addresses;
import common.Languages;
import common.ParleyException;
import handlers.AuthenticateHandler;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import security.Identity;

import java.util.Set;

/**
 * {@code GET /api/v1/meetings/{id}/transcript?format=json|vtt|txt&lang=xx}: the final transcript
 * from the AI service, rendered here; {@code lang} picks translations where they exist.
 */
public final class RenderTranscriptHandler implements Handler<RoutingContext> {

  private static final Set<String> FORMATS = Set.of("json", "vtt", "txt");
  private final EventBus eventBus;
  private final long timeoutMs;

  public RenderTranscriptHandler(EventBus eventBus, long timeoutMs) {
    this.eventBus = eventBus;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String format = ctx.request().getParam("format", "json");
    String langParam = ctx.request().getParam("lang");
    if (!FORMATS.contains(format)) {
      ctx.fail(ParleyException.badRequest("format must be json, vtt or txt"));
      return;
    }
    String lang;
    try {
      lang = langParam == null ? null : Languages.normalise(langParam);
    } catch (ParleyException e) {
      ctx.fail(e);
      return;
    }
    Identity caller = AuthenticateHandler.identity(ctx);
    JsonObject request = new JsonObject().put("meetingId", ctx.pathParam("meetingId"));
    if (langParam != null) {
      request.put("lang", langParam);
    }
    eventBus.<JsonObject>request(Addresses.TRANSCRIPT_GET, request,
        new DeliveryOptions().setSendTimeout(timeoutMs).addHeader(Identity.HEADER, caller.toJson().encode()))
      .onSuccess(reply -> {
        JsonArray segments = reply.body().getJsonArray("segments");
        switch (format) {
          case "vtt" -> ctx.response().putHeader("Content-Type", "text/vtt; charset=utf-8")
            .end(TranscriptFormats.vtt(segments, lang));
          case "txt" -> ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8")
            .end(TranscriptFormats.txt(segments, lang));
          default -> ctx.response().putHeader("Content-Type", "application/json")
            .end(reply.body().put("segments", TranscriptFormats.inLanguage(segments, lang)).put("lang", lang).encode());
        }
      })
      .onFailure(ctx::fail);
  }
}
