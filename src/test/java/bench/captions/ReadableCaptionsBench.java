package bench.captions;

import ai.SpeechRecognizer;
import ai.stt.Punctuator;
import ai.stt.VoskSpeechRecognizer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import support.Readability;
import support.ReadableSet;
import support.TestInfra;
import support.Wer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Readable captions on the project's set, live: each line spoken by espeak-ng, recognised by the
 * real Vosk recogniser (the server's stream code path, word timings included), each final made
 * readable by the server's {@link Punctuator} with the line's participants' names, then scored
 * against the reference ({@link Readability}): the share of sentences whose casing and end
 * punctuation match, the same without timings (the reference's own words, one caption per line),
 * word error rate before and after (it must not move), and the step's time per caption (warmed up,
 * the mean of 100 runs).
 * Writes bench/results/captions.json; {@code --record} also rewrites
 * src/test/resources/captions/readable-recognised.json, the recogniser output the unit test scores.
 *
 * <p>Run: {@code bench/captions.sh [--record]}
 */
public final class ReadableCaptionsBench {

  public static void main(String[] args) throws Exception {
    boolean record = List.of(args).contains("--record");
    if (!ReadableSet.canSpeak()) {
      System.out.println("espeak-ng and sox are needed (apt-get install espeak-ng sox)");
      System.exit(2);
    }
    Vertx vertx = Vertx.vertx();
    SpeechRecognizer vosk = VoskSpeechRecognizer.create(vertx, new JsonObject().put("workers", 1)
      .put("vosk", new JsonObject().put("modelPath", TestInfra.voskModel())), Path.of("target")).await();
    Punctuator punctuator = new Punctuator(new JsonObject(Files.readString(Path.of("src/main/resources/conf/config.json")))
      .getJsonObject("ai").getJsonObject("stt").getLong("sentencePauseMs"));
    Path tmp = Files.createTempDirectory("parley-readable-");
    Readability.Score live = new Readability.Score(0, 0, List.of());
    Readability.Score textOnly = new Readability.Score(0, 0, List.of());
    double werRaw = 0;
    double werReadable = 0;
    long formatNanos = 0;
    int captions = 0;
    JsonArray recorded = new JsonArray();
    JsonArray perLine = new JsonArray();
    List<ReadableSet.Line> lines = ReadableSet.lines();
    for (ReadableSet.Line line : lines) {
      List<ReadableSet.Final> finals = ReadableSet.recognise(vertx, vosk, ReadableSet.speak(line.reference(), tmp));
      recorded.add(new JsonObject().put("line", line.number()).put("finals", ReadableSet.toJson(finals)));
      StringBuilder raw = new StringBuilder();
      StringBuilder readable = new StringBuilder();
      for (ReadableSet.Final f : finals) {
        for (int warm = 0; warm < 200; warm++) {
          punctuator.format(f.text(), f.words(), line.participants());
        }
        long t0 = System.nanoTime();
        String out = null;
        for (int rep = 0; rep < 100; rep++) {
          out = punctuator.format(f.text(), f.words(), line.participants());
        }
        formatNanos += (System.nanoTime() - t0) / 100;
        captions++;
        raw.append(' ').append(f.text());
        readable.append(' ').append(out);
      }
      Readability.Score s = Readability.score(line.reference(), readable.toString().trim());
      live = live.plus(s);
      String bare = String.join(" ", Readability.words(line.reference()));
      textOnly = textOnly.plus(Readability.score(line.reference(), punctuator.format(bare, List.of(), line.participants())));
      werRaw += Wer.of(line.reference(), raw.toString());
      werReadable += Wer.of(line.reference(), readable.toString());
      perLine.add(new JsonObject().put("line", line.number()).put("reference", line.reference())
        .put("recognised", raw.toString().trim()).put("readable", readable.toString().trim()).put("matched", s.matched())
        .put("sentences", s.sentences()));
      System.out.println(line.number() + ". " + readable.toString().trim() + "   [" + s.matched() + "/" + s.sentences() + "]");
    }
    JsonObject result = new JsonObject().put("bench", "readable-captions").put("lines", lines.size())
      .put("sentences", live.sentences())
      .put("shareMatchedWithRecogniser", live.share())
      .put("shareMatchedOnReferenceWordsWithoutTimings", textOnly.share())
      .put("meanWerBefore", werRaw / lines.size()).put("meanWerAfter", werReadable / lines.size())
      .put("formatMicrosPerCaption", captions == 0 ? 0 : formatNanos / 1000.0 / captions)
      .put("misses", new JsonArray(live.misses())).put("perLine", perLine);
    System.out.println("sentences whose casing and end punctuation match: " + live.matched() + "/" + live.sentences()
      + " = " + String.format("%.3f", live.share()) + " (recognised speech, with word timings)");
    System.out.println("on the reference's own words, one caption per line, no timings: " + textOnly.matched() + "/"
      + textOnly.sentences() + " = " + String.format("%.3f", textOnly.share()));
    System.out.println("mean WER before " + String.format("%.4f", werRaw / lines.size()) + ", after "
      + String.format("%.4f", werReadable / lines.size()) + "; " + String.format("%.1f", formatNanos / 1000.0 / Math.max(1, captions))
      + " us per caption");
    live.misses().forEach(m -> System.out.println("  miss: " + m));
    Path out = Path.of("bench/results/captions.json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, result.encodePrettily() + "\n");
    if (record) {
      Files.writeString(ReadableSet.RECORDED, new JsonObject()
        .put("about", "What the Vosk small English model (com.alphacephei:vosk-model-en, as shipped in the jar) recognised in "
          + "each line of readable.tsv spoken by espeak-ng (en-us, 150 wpm; sox to 16 kHz mono). Written by bench/captions.sh --record; "
          + "captions.ReadableCaptionsTest scores the punctuation step on it and re-recognises a few lines to check it.")
        .put("lines", recorded).encodePrettily() + "\n");
      System.out.println("recorded the recogniser's output to " + ReadableSet.RECORDED);
    }
    System.out.println("written to " + out);
    vosk.close();
    vertx.close().await();
    System.exit(0);
  }
}
