package support;

import ai.SpeechRecognizer;
import ai.stt.CaptionListener;
import ai.stt.RecognitionRequest;
import ai.stt.RecognitionStream;
import ai.stt.Segment;
import ai.stt.Word;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The readable-captions set ({@code src/test/resources/captions/readable.tsv}): each line's
 * participants and reference, the line spoken (espeak-ng, then sox to 16 kHz mono PCM, as
 * {@code audio/make-audio.sh} makes the other test speech), and what the Vosk recogniser gives for
 * it (its finals with word timings), live or as recorded in {@code readable-recognised.json}.
 */
public final class ReadableSet {

  public record Line(int number, List<String> participants, String reference) {
  }

  public record Final(String text, List<Word> words) {
  }

  public static final Path RECORDED = Path.of("src/test/resources/captions/readable-recognised.json");

  private ReadableSet() {
  }

  public static List<Line> lines() throws IOException {
    try (InputStream in = ReadableSet.class.getResourceAsStream("/captions/readable.tsv")) {
      List<Line> out = new ArrayList<>();
      int n = 0;
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        out.add(new Line(++n, List.of(f[0].split(",\\s*")), f[1]));
      }
      return out;
    }
  }

  /** Whether espeak-ng and sox are here to speak the set. */
  public static boolean canSpeak() {
    return Files.isExecutable(Path.of("/usr/bin/espeak-ng")) && Files.isExecutable(Path.of("/usr/bin/sox"));
  }

  /** The line spoken by espeak-ng (en-us, 150 words a minute), as 16 kHz mono s16le PCM. */
  public static byte[] speak(String text, Path dir) throws IOException, InterruptedException {
    Path raw = Files.createTempFile(dir, "speech-", ".raw.wav");
    Path wav = Files.createTempFile(dir, "speech-", ".wav");
    run("/usr/bin/espeak-ng", "-v", "en-us", "-s", "150", "-w", raw.toString(), text);
    // -R: repeatable (sox seeds its dither at random otherwise, and the recognised words vary with it)
    run("/usr/bin/sox", "-R", raw.toString(), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", wav.toString(),
      "pad", "0.3", "0.5");
    byte[] bytes = Files.readAllBytes(wav);
    Files.deleteIfExists(raw);
    Files.deleteIfExists(wav);
    return java.util.Arrays.copyOfRange(bytes, 44, bytes.length);
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
  }

  /** Every final the recogniser gives for {@code pcm}, fed as fast as it takes it, with word timings. */
  public static List<Final> recognise(Vertx vertx, SpeechRecognizer recognizer, byte[] pcm) throws java.util.concurrent.TimeoutException {
    Promise<List<Final>> done = Promise.promise();
    List<Final> finals = new CopyOnWriteArrayList<>();
    vertx.getOrCreateContext().runOnContext(v -> {
      RecognitionStream stream = recognizer.open(new RecognitionRequest("readable", "en-US", 16_000), new CaptionListener() {
        @Override
        public void onPartial(Segment s) {
        }

        @Override
        public void onFinal(Segment s) {
          if (!s.text().isBlank()) {
            finals.add(new Final(s.text(), s.words()));
          }
        }

        @Override
        public void onError(Throwable t) {
          done.tryFail(t);
        }

        @Override
        public void onEnd() {
          done.tryComplete(List.copyOf(finals));
        }
      });
      for (int offset = 0; offset < pcm.length; offset += 3200) {
        stream.write(Buffer.buffer().appendBytes(pcm, offset, Math.min(3200, pcm.length - offset)));
      }
      stream.end();
    });
    return done.future().await(120, TimeUnit.SECONDS);
  }

  public static JsonArray toJson(List<Final> finals) {
    JsonArray out = new JsonArray();
    for (Final f : finals) {
      JsonArray words = new JsonArray();
      f.words().forEach(w -> words.add(new JsonArray().add(w.text()).add(w.startMs()).add(w.endMs())));
      out.add(new JsonObject().put("text", f.text()).put("words", words));
    }
    return out;
  }

  public static List<Final> fromJson(JsonArray json) {
    List<Final> out = new ArrayList<>();
    for (int i = 0; i < json.size(); i++) {
      JsonObject f = json.getJsonObject(i);
      List<Word> words = new ArrayList<>();
      JsonArray ws = f.getJsonArray("words");
      for (int k = 0; k < ws.size(); k++) {
        JsonArray w = ws.getJsonArray(k);
        words.add(new Word(w.getString(0), w.getLong(1), w.getLong(2)));
      }
      out.add(new Final(f.getString("text"), words));
    }
    return out;
  }

  /** The recorded finals of each line, by line number (index 0 is line 1). */
  public static List<List<Final>> recorded() throws IOException {
    JsonObject json = new JsonObject(Files.readString(RECORDED));
    List<List<Final>> out = new ArrayList<>();
    json.getJsonArray("lines").forEach(l -> out.add(fromJson(((JsonObject) l).getJsonArray("finals"))));
    return out;
  }
}
