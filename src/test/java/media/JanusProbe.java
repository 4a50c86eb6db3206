package media;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks into the Janus a test server manages, independently of Parley: reads the generated
 * configuration under the data folder for the port and secrets, and asks Janus itself which rooms
 * and participants exist (to prove what did, or did not, reach it). Blocking: call from the test thread.
 */
public final class JanusProbe implements AutoCloseable {

  private final Vertx vertx;
  private final Context ctx;
  private final Path folder;
  private JanusClient client;
  private VideoRoom room;
  private String adminKey;

  public JanusProbe(Vertx vertx, Path dataDir) {
    this.vertx = vertx;
    this.ctx = vertx.getOrCreateContext();
    this.folder = dataDir.resolve("janus");
  }

  private static String value(String text, String key) {
    Matcher m = Pattern.compile(key + " = \"?([^\"\\n]+)\"?").matcher(text);
    if (!m.find()) {
      throw new IllegalStateException(key + " not found");
    }
    return m.group(1);
  }

  private String read(String file) {
    try {
      return Files.readString(folder.resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The managed Janus's pid, from its pid file. */
  public long pid() {
    return Long.parseLong(read("janus.pid").trim());
  }

  private <T> T on(Supplier<Future<T>> op) {
    return JanusSupport.on(ctx, op);
  }

  /** (Re)connects with the secrets of Janus's current run. */
  private VideoRoom room() {
    if (room != null && client.isOpen()) {
      return room;
    }
    String core = read("janus.jcfg");
    String ws = read("janus.transport.websockets.jcfg");
    adminKey = value(read("janus.plugin.videoroom.jcfg"), "admin_key");
    String url = "ws://127.0.0.1:" + value(ws, "ws_port");
    String secret = value(core, "api_secret");
    client = on(() -> JanusClient.connect(vertx, url, secret, 5000));
    JanusSession session = on(() -> client.createSession(20_000));
    room = on(() -> VideoRoom.attach(session));
    return room;
  }

  /** The VideoRooms Janus holds now (private ones included): {@code [{room, description, num_participants}]}. */
  public List<JsonObject> rooms() {
    VideoRoom r = room();
    JsonArray list = on(() -> r.list(adminKey));
    return list.stream().map(JsonObject.class::cast).toList();
  }

  /** The room Parley made for a meeting, or null. */
  public JsonObject roomOf(String meetingId) {
    return rooms().stream().filter(r -> ("parley " + meetingId).equals(r.getString("description"))).findFirst().orElse(null);
  }

  /** Participant ids in a room (the monitor among them). */
  public List<Long> participants(long roomId) {
    VideoRoom r = room();
    try {
      return on(() -> r.listParticipants(roomId)).stream().map(JsonObject.class::cast).map(p -> p.getLong("id")).toList();
    } catch (JanusException e) {
      if (e.code() == JanusException.NO_SUCH_ROOM) {
        return List.of();
      }
      throw e;
    }
  }

  @Override
  public void close() {
    if (client != null) {
      on(client::close);
    }
  }
}
