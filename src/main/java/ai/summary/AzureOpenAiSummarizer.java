package ai.summary;

import ai.Summarizer;
import ai.summary.MeetingText.Utterance;
import ai.summary.Recap.ActionItem;
import ai.summary.Recap.Point;
import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Azure OpenAI chat completions: {@code POST {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=...}
 * with the {@code api-key} header and {@code {messages, temperature: 0, response_format: {type: json_object}}};
 * the answer's {@code choices[0].message.content} is the recap as JSON, {@code usage.total_tokens}
 * what is metered. The transcript goes as numbered lines and every item names the line it comes
 * from, so that it keeps its speaker and moment. A 429 or 503 is retried once after
 * {@code retry-after-ms} or {@code Retry-After} (capped); other errors carry the service's
 * {@code {"error":{"code","message"}}}. Owners the model names that are not participants are dropped.
 */
public final class AzureOpenAiSummarizer implements Summarizer {

  static final String SYSTEM_PROMPT = """
    You write the recap of a meeting from its transcript and chat. Answer with one JSON object and nothing else:
    {"keyPoints": [{"text": "...", "line": 12}], "decisions": [{"text": "...", "line": 30}],
     "actionItems": [{"owner": "a participant's name", "task": "...", "due": "the words said, e.g. by Friday",
                      "dueDate": "YYYY-MM-DD", "line": 41}],
     "keywords": ["..."]}
    Key points: at most five, the substance of the meeting. Decisions: what the meeting decided. Action items: who
    committed to or was asked to do what, by when; the owner must be one of the participants, or null. Resolve dates
    against the meeting's date; leave due and dueDate null when none was said. "line" is the number of the line the item
    comes from. Use only what was said; write in the meeting's language.""";

  private final Vertx vertx;
  private final WebClient client;
  private final String url;
  private final String key;
  private final long timeoutMs;
  private final int maxInputChars;
  private final long maxRetryWaitMs;

  public AzureOpenAiSummarizer(Vertx vertx, String endpoint, String key, String deployment, String apiVersion, long timeoutMs,
                               int maxInputChars, long maxRetryWaitMs) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
    this.url = endpoint.replaceAll("/$", "") + "/openai/deployments/" + deployment + "/chat/completions?api-version=" + apiVersion;
    this.key = key;
    this.timeoutMs = timeoutMs;
    this.maxInputChars = maxInputChars;
    this.maxRetryWaitMs = maxRetryWaitMs;
  }

  @Override
  public String provider() {
    return "azure";
  }

  @Override
  public Future<Recap> summarize(MeetingText meeting) {
    if (meeting.isEmpty()) {
      return Future.succeededFuture(Recap.empty(provider(), meeting.lang()));
    }
    JsonObject body = new JsonObject()
      .put("messages", new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", SYSTEM_PROMPT))
        .add(new JsonObject().put("role", "user").put("content", prompt(meeting))))
      .put("temperature", 0)
      .put("max_tokens", 1500)
      .put("response_format", new JsonObject().put("type", "json_object"));
    return call(body, true).compose(answer -> parse(answer, meeting));
  }

  /** The user message: the meeting, then each utterance as one numbered line. */
  String prompt(MeetingText meeting) {
    StringBuilder sb = new StringBuilder();
    sb.append("Meeting: ").append(meeting.title() == null ? "" : meeting.title()).append('\n');
    LocalDate day = meeting.day();
    sb.append("Date: ").append(day).append(" (").append(day.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH))
      .append(")\n");
    sb.append("Language: ").append(meeting.lang()).append('\n');
    sb.append("Participants: ").append(String.join("; ", meeting.participants())).append('\n');
    sb.append("Transcript and chat, one numbered line each:\n");
    List<Utterance> lines = meeting.utterances();
    Instant start = lines.isEmpty() ? null : lines.get(0).at();
    int cut = -1;
    for (int i = 0; i < lines.size(); i++) {
      Utterance u = lines.get(i);
      String line = "[" + i + "] " + clock(start, u.at()) + (u.source().equals("chat") ? " (chat) " : " ") + u.speaker() + ": "
        + u.text().replace('\n', ' ') + '\n';
      if (sb.length() + line.length() > maxInputChars) {
        cut = i;
        break;
      }
      sb.append(line);
    }
    if (cut >= 0) {
      sb.append("(the rest of the meeting, from line ").append(cut).append(", is left out: too long)\n");
    }
    return sb.toString();
  }

  private static String clock(Instant start, Instant at) {
    if (start == null || at == null) {
      return "";
    }
    long s = Math.max(0, Duration.between(start, at).getSeconds());
    return String.format("%02d:%02d", s / 60, s % 60);
  }

  private Future<JsonObject> call(JsonObject body, boolean mayRetry) {
    return client.postAbs(url).putHeader("api-key", key).putHeader("Content-Type", "application/json").timeout(timeoutMs)
      .sendBuffer(body.toBuffer())
      .recover(err -> Future.failedFuture(new ParleyException(503, "unavailable", "azure openai: " + err.getMessage())))
      .compose(response -> {
        int status = response.statusCode();
        if (status == 200) {
          try {
            return Future.succeededFuture(response.bodyAsJsonObject());
          } catch (DecodeException e) {
            return Future.failedFuture(new ParleyException(503, "unavailable", "azure openai: the answer is not JSON"));
          }
        }
        if ((status == 429 || status == 503) && mayRetry) {
          return vertx.timer(retryAfterMs(response, maxRetryWaitMs)).compose(v -> call(body, false));
        }
        return Future.failedFuture(failure(response));
      });
  }

  /** {@code retry-after-ms}, else {@code Retry-After} in seconds, capped; 1 s when neither can be read. */
  static long retryAfterMs(HttpResponse<Buffer> response, long cap) {
    try {
      String ms = response.getHeader("retry-after-ms");
      if (ms != null) {
        return Math.min(cap, Math.max(1, (long) Double.parseDouble(ms)));
      }
      String seconds = response.getHeader("Retry-After");
      if (seconds != null) {
        return Math.min(cap, Math.max(1, (long) (Double.parseDouble(seconds) * 1000)));
      }
    } catch (NumberFormatException ignored) {
      // an HTTP date or garbage: the default below
    }
    return Math.min(cap, 1000);
  }

  static ParleyException failure(HttpResponse<Buffer> response) {
    String message = "HTTP " + response.statusCode();
    try {
      JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
      message = error.getValue("code") + " " + error.getString("message");
    } catch (RuntimeException ignored) {
      // not the documented error body; the status says enough
    }
    int status = response.statusCode() == 429 ? 429 : response.statusCode() == 400 ? 400 : 503;
    return new ParleyException(status, ParleyException.codeFor(status), "azure openai: " + message);
  }

  private Future<Recap> parse(JsonObject answer, MeetingText meeting) {
    JsonArray choices = answer.getJsonArray("choices", new JsonArray());
    JsonObject choice = choices.isEmpty() || !(choices.getValue(0) instanceof JsonObject first) ? new JsonObject() : first;
    String finish = choice.getString("finish_reason");
    if ("content_filter".equals(finish)) {
      return Future.failedFuture(new ParleyException(503, "unavailable", "azure openai: the answer was filtered (content_filter)"));
    }
    String content = choice.getJsonObject("message", new JsonObject()).getString("content");
    JsonObject recap;
    try {
      recap = new JsonObject(content == null ? "" : content.strip());
    } catch (DecodeException e) {
      return Future.failedFuture(new ParleyException(503, "unavailable", "azure openai: the recap is not a JSON object"
        + ("length".equals(finish) ? " (cut off at max_tokens)" : "")));
    }
    double tokens = answer.getJsonObject("usage", new JsonObject()).getDouble("total_tokens", 0d);
    List<Utterance> lines = meeting.utterances();
    List<Point> keyPoints = points(recap.getJsonArray("keyPoints"), lines);
    List<Point> decisions = points(recap.getJsonArray("decisions"), lines);
    List<ActionItem> actions = new ArrayList<>();
    for (Object o : array(recap.getJsonArray("actionItems"))) {
      if (!(o instanceof JsonObject a) || a.getString("task") == null || a.getString("task").isBlank()) {
        continue;
      }
      Utterance from = line(a.getValue("line"), lines);
      actions.add(new ActionItem(participant(a.getString("owner"), meeting.participants()), a.getString("task").strip(),
        a.getString("due"), date(a.getString("dueDate")), null, from == null ? null : from.speaker(),
        from == null ? null : from.at(), from == null ? null : from.source()));
    }
    List<String> keywords = new ArrayList<>();
    for (Object k : array(recap.getJsonArray("keywords"))) {
      if (k instanceof String s && !s.isBlank()) {
        keywords.add(s.strip());
      }
    }
    return Future.succeededFuture(new Recap(keyPoints, decisions, actions, keywords, provider(), meeting.lang(), tokens, "tokens"));
  }

  private static JsonArray array(JsonArray a) {
    return a == null ? new JsonArray() : a;
  }

  private static List<Point> points(JsonArray items, List<Utterance> lines) {
    List<Point> out = new ArrayList<>();
    for (Object o : array(items)) {
      String text = o instanceof JsonObject j ? j.getString("text") : o instanceof String s ? s : null;
      if (text == null || text.isBlank()) {
        continue;
      }
      Utterance from = o instanceof JsonObject j ? line(j.getValue("line"), lines) : null;
      out.add(new Point(text.strip(), from == null ? null : from.speaker(), from == null ? null : from.at()));
    }
    return out;
  }

  private static Utterance line(Object value, List<Utterance> lines) {
    if (value instanceof Number n && n.intValue() >= 0 && n.intValue() < lines.size()) {
      return lines.get(n.intValue());
    }
    return null;
  }

  /** The participant the model named (exactly, or by first name), else null. */
  static String participant(String named, List<String> participants) {
    if (named == null || named.isBlank()) {
      return null;
    }
    String n = named.strip().toLowerCase(Locale.ROOT);
    for (String p : participants) {
      if (p.toLowerCase(Locale.ROOT).equals(n)) {
        return p;
      }
    }
    List<String> byFirst = participants.stream().filter(p -> p.toLowerCase(Locale.ROOT).split("\\s+")[0].equals(n.split("\\s+")[0]))
      .toList();
    return byFirst.size() == 1 ? byFirst.get(0) : null;
  }

  private static LocalDate date(String s) {
    try {
      return s == null ? null : LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @Override
  public Future<Void> health() {
    return Future.succeededFuture();
  }

  @Override
  public void close() {
    client.close();
  }
}
