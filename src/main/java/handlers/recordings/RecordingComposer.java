package handlers.recordings;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns the {@code .mjr} files Janus wrote for one recording into ONE file: each file converted
 * with {@code janus-pp-rec}, then one {@code ffmpeg} run that lays the videos out on a canvas (a
 * grid of the people's cameras; a screen share large on the left with the cameras in a column
 * beside it), mixes the audio ({@code amix}) and shifts every input by its start time (the
 * {@code .mjr} header's first-written time), so people who joined late appear when they joined.
 * MP4 (H.264 + AAC), WebM (VP8 + Opus) or audio only (AAC in MP4). Blocking: runs on a worker.
 */
final class RecordingComposer {

  /** How the composition is encoded ({@code recordings.server.*}). */
  record Settings(int width, int height, int fps, String preset, int crf, int audioKbps, long stepTimeoutMs) {
  }

  /** One converted stream: whose feed ({@code camera-<id>} or {@code screen-<id>}), audio or video, when it started, how long. */
  record Track(String feed, String kind, boolean video, long startUs, Path file, double seconds) {
  }

  /** The composed file and what it holds. */
  record Result(Path file, String contentType, String extension, long durationMs, long startUs, int videos, int audios) {
  }

  /** Janus's names: {@code <kind>-<feedId>-<n>-<audio|video>-<mindex>.mjr} (see SfuRoom). */
  private static final Pattern NAME = Pattern.compile("(camera|screen)-(\\d+)-(\\d+)-(audio|video)-(\\d+)\\.mjr");
  private static final Pattern OUT_TIME = Pattern.compile("out_time_(?:us|ms)=(\\d+)");

  private final RecordingTools tools;
  private final Settings settings;

  RecordingComposer(RecordingTools tools, Settings settings) {
    this.tools = tools;
    this.settings = settings;
  }

  /** A step that failed: its message is the recording's {@code reason}. */
  static final class Failed extends Exception {
    Failed(String message) {
      super(message);
    }
  }

  /**
   * Converts and composes; {@code percent} hears 0-99 as it goes; {@code running} always holds the
   * program running now, so that whoever holds it can stop it.
   */
  Result compose(Path sourceDir, Path workDir, String format, IntConsumer percent, AtomicReference<Process> running)
    throws Failed, IOException, InterruptedException {
    List<Path> sources;
    try (Stream<Path> files = Files.list(sourceDir)) {
      sources = files.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
    } catch (java.nio.file.NoSuchFileException e) {
      throw new Failed("the recorded files are gone from " + sourceDir);
    }
    boolean audioOnly = "audio".equals(format);
    if (sources.isEmpty()) {
      throw new Failed("nothing was recorded: nobody published audio or video while the recording ran");
    }
    Files.createDirectories(workDir);
    List<Track> tracks = new ArrayList<>();
    int done = 0;
    for (Path source : sources) {
      Matcher m = NAME.matcher(source.getFileName().toString());
      m.matches();
      boolean video = "video".equals(m.group(4));
      done++;
      if (video && audioOnly) {
        continue;
      }
      Track track = convert(source, workDir, m.group(1) + "-" + m.group(2), m.group(1), video, running);
      if (track != null) {
        tracks.add(track);
      }
      percent.accept(done * 10 / sources.size());
    }
    if (tracks.stream().noneMatch(t -> !t.video()) && tracks.stream().noneMatch(Track::video)) {
      throw new Failed("nothing playable was recorded (every stream Janus wrote was empty)");
    }
    long start = tracks.stream().mapToLong(Track::startUs).min().orElse(0);
    double total = tracks.stream().mapToDouble(t -> (t.startUs() - start) / 1e6 + t.seconds()).max().orElse(0);
    String extension = audioOnly ? "m4a" : "webm".equals(format) ? "webm" : "mp4";
    String contentType = audioOnly ? "audio/mp4" : "webm".equals(format) ? "video/webm" : "video/mp4";
    Path out = workDir.resolve("recording." + extension);
    List<String> command = ffmpegCommand(tracks, start, total, format, out);
    run(command, workDir.resolve("ffmpeg.log"), running, total, percent);
    long durationMs = Math.round(probeSeconds(out, running) * 1000);
    return new Result(out, contentType, extension, durationMs, start,
      (int) tracks.stream().filter(Track::video).count(), (int) tracks.stream().filter(t -> !t.video()).count());
  }

  /** One .mjr to a media file; null (and logged by the caller's reason) when Janus wrote no usable media. */
  private Track convert(Path source, Path workDir, String feed, String kind, boolean video, AtomicReference<Process> running)
    throws IOException, InterruptedException, Failed {
    JsonObject header = header(source, running);
    if (header == null) {
      return null;
    }
    String codec = header.getString("c", "").toLowerCase(Locale.ROOT);
    String ext = video ? ("h264".equals(codec) ? "mp4" : "webm") : ("opus".equals(codec) ? "opus" : "wav");
    Path converted = workDir.resolve(source.getFileName().toString().replace(".mjr", "." + ext));
    Files.deleteIfExists(converted);
    Output result = exec(List.of(tools.janusPpRec(), source.toString(), converted.toString()), running);
    if (result.code() != 0 || !Files.isRegularFile(converted) || Files.size(converted) == 0) {
      return null; // a stream that carried nothing (the camera stayed off): left out
    }
    double seconds = probeSeconds(converted, running);
    if (seconds <= 0) {
      return null;
    }
    long written = header.getLong("u", 0L);
    long created = header.getLong("s", 0L);
    return new Track(feed, kind, video, written > 0 ? written : created, converted, seconds);
  }

  /** The .mjr's JSON header ({@code janus-pp-rec --json}): type, codec, created and first-written times in µs. */
  private JsonObject header(Path source, AtomicReference<Process> running) throws IOException, InterruptedException {
    Output out = exec(List.of(tools.janusPpRec(), "--json", source.toString()), running);
    String text = out.stdout();
    int open = text.indexOf('{');
    int close = text.lastIndexOf('}');
    if (out.code() != 0 || open < 0 || close < open) {
      return null;
    }
    try {
      return new JsonObject(text.substring(open, close + 1));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private double probeSeconds(Path file, AtomicReference<Process> running) throws IOException, InterruptedException {
    Output out = exec(List.of(tools.ffprobe(), "-v", "error", "-show_entries", "format=duration", "-of",
      "default=noprint_wrappers=1:nokey=1", file.toString()), running);
    try {
      return out.code() == 0 ? Double.parseDouble(out.stdout().trim()) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The ffmpeg command line: inputs, the filter graph (layout, offsets, mix) and the encoder. */
  List<String> ffmpegCommand(List<Track> tracks, long startUs, double total, String format, Path out) {
    List<String> cmd = new ArrayList<>(List.of(tools.ffmpeg(), "-hide_banner", "-nostdin", "-y"));
    List<Track> videos = "audio".equals(format) ? List.of() : tracks.stream().filter(Track::video).toList();
    List<Track> audios = tracks.stream().filter(t -> !t.video()).toList();
    List<Track> inputs = new ArrayList<>(videos);
    inputs.addAll(audios);
    for (Track t : inputs) {
      cmd.addAll(List.of("-i", t.file().toString()));
    }
    String length = String.format(Locale.ROOT, "%.3f", total);
    StringBuilder graph = new StringBuilder();
    int index = 0;
    if (!"audio".equals(format)) {
      Map<String, int[]> cells = layout(videos);
      int w = settings.width();
      int h = settings.height();
      graph.append(String.format(Locale.ROOT, "color=c=black:s=%dx%d:r=%d:d=%s[base0];", w, h, settings.fps(), length));
      int layer = 0;
      for (Track v : videos) {
        int[] cell = cells.get(v.feed());
        double offset = (v.startUs() - startUs) / 1e6;
        graph.append(String.format(Locale.ROOT,
          "[%d:v]fps=%d,scale=%d:%d:force_original_aspect_ratio=decrease,pad=%d:%d:(ow-iw)/2:(oh-ih)/2:black,setsar=1,"
            + "setpts=PTS-STARTPTS+%.3f/TB[v%d];", index, settings.fps(), cell[2], cell[3], cell[2], cell[3], offset, layer));
        graph.append(String.format(Locale.ROOT, "[base%d][v%d]overlay=x=%d:y=%d:eof_action=pass:enable='between(t,%.3f,%.3f)'[base%d];",
          layer, layer, cell[0], cell[1], offset, offset + v.seconds(), layer + 1));
        layer++;
        index++;
      }
      graph.append(String.format(Locale.ROOT, "[base%d]format=yuv420p[vout];", layer));
    }
    if (audios.isEmpty()) {
      graph.append(String.format(Locale.ROOT, "anullsrc=r=48000:cl=stereo,atrim=duration=%s[aout]", length));
    } else {
      StringBuilder mix = new StringBuilder();
      int n = 0;
      for (Track a : audios) {
        long delayMs = Math.max(0, Math.round((a.startUs() - startUs) / 1000.0));
        graph.append(String.format(Locale.ROOT, "[%d:a]aresample=48000,asetpts=PTS-STARTPTS,adelay=delays=%d:all=1[a%d];",
          index, delayMs, n));
        mix.append("[a").append(n).append(']');
        n++;
        index++;
      }
      graph.append(mix).append(n == 1 ? "anull[aout]"
        : "amix=inputs=" + n + ":duration=longest:dropout_transition=0:normalize=0[aout]");
    }
    cmd.addAll(List.of("-filter_complex", graph.toString()));
    if (!"audio".equals(format)) {
      cmd.addAll(List.of("-map", "[vout]"));
    }
    cmd.addAll(List.of("-map", "[aout]", "-t", length));
    switch (format) {
      case "webm" -> cmd.addAll(List.of("-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "1M",
        "-c:a", "libopus", "-b:a", settings.audioKbps() + "k"));
      case "audio" -> cmd.addAll(List.of("-vn", "-c:a", "aac", "-b:a", settings.audioKbps() + "k", "-movflags", "+faststart"));
      default -> cmd.addAll(List.of("-c:v", "libx264", "-preset", settings.preset(), "-crf", String.valueOf(settings.crf()),
        "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", settings.audioKbps() + "k", "-movflags", "+faststart"));
    }
    cmd.addAll(List.of("-progress", "pipe:1", "-nostats", out.toString()));
    return cmd;
  }

  /**
   * Where each feed's video goes: {@code feed -> {x, y, w, h}}. Cameras in a grid (columns =
   * ceil(sqrt(n))); with a screen share, the screen takes the left three quarters and the
   * cameras a column on the right. Sizes are even (the encoders need it). Feeds that never show
   * at the same time share a cell (a page that published again, or everyone after the meeting's
   * room was placed on another Janus: the new feeds take the cells the old ones left), so n is
   * the most feeds of a kind showing at once.
   */
  Map<String, int[]> layout(List<Track> videos) {
    List<List<String>> screens = slots(videos.stream().filter(t -> "screen".equals(t.kind())).toList());
    List<List<String>> cameras = slots(videos.stream().filter(t -> !"screen".equals(t.kind())).toList());
    int w = settings.width();
    int h = settings.height();
    Map<String, int[]> cells = new LinkedHashMap<>();
    if (!screens.isEmpty()) {
      int screenW = cameras.isEmpty() ? w : even(w * 3 / 4);
      screens.forEach(slot -> slot.forEach(s -> cells.put(s, new int[]{0, 0, screenW, h})));
      if (!cameras.isEmpty()) {
        int cellH = even(h / cameras.size());
        for (int i = 0; i < cameras.size(); i++) {
          int[] cell = {screenW, i * cellH, even(w - screenW), Math.max(2, cellH)};
          cameras.get(i).forEach(c -> cells.put(c, cell));
        }
      }
      return cells;
    }
    int n = Math.max(1, cameras.size());
    int cols = (int) Math.ceil(Math.sqrt(n));
    int rows = (int) Math.ceil(n / (double) cols);
    int cellW = even(w / cols);
    int cellH = even(h / rows);
    for (int i = 0; i < cameras.size(); i++) {
      int[] cell = {(i % cols) * cellW, (i / cols) * cellH, cellW, cellH};
      cameras.get(i).forEach(c -> cells.put(c, cell));
    }
    return cells;
  }

  /** The feeds of {@code videos} in slots, in order of their first frame: a feed goes into the first slot free by the time it starts. */
  private static List<List<String>> slots(List<Track> videos) {
    Map<String, long[]> spans = new LinkedHashMap<>();
    for (Track t : videos) {
      long end = t.startUs() + Math.round(t.seconds() * 1e6);
      spans.merge(t.feed(), new long[]{t.startUs(), end}, (a, b) -> new long[]{Math.min(a[0], b[0]), Math.max(a[1], b[1])});
    }
    List<Map.Entry<String, long[]>> byStart = new ArrayList<>(spans.entrySet());
    byStart.sort(java.util.Comparator.comparingLong(e -> e.getValue()[0]));
    List<List<String>> slots = new ArrayList<>();
    List<Long> freeAt = new ArrayList<>();
    for (Map.Entry<String, long[]> feed : byStart) {
      int slot = 0;
      while (slot < slots.size() && freeAt.get(slot) > feed.getValue()[0]) {
        slot++;
      }
      if (slot == slots.size()) {
        slots.add(new ArrayList<>());
        freeAt.add(0L);
      }
      slots.get(slot).add(feed.getKey());
      freeAt.set(slot, feed.getValue()[1]);
    }
    return slots;
  }

  private static int even(int v) {
    return Math.max(2, v - (v % 2));
  }

  private record Output(int code, String stdout) {
  }

  /** Runs a short step (janus-pp-rec, ffprobe) to its end within the step timeout. */
  private Output exec(List<String> command, AtomicReference<Process> running) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    running.set(p);
    try {
      java.util.concurrent.CompletableFuture<String> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          return "";
        }
      });
      if (!p.waitFor(settings.stepTimeoutMs(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return new Output(-1, "");
      }
      return new Output(p.exitValue(), out.join());
    } finally {
      running.set(null);
    }
  }

  /**
   * Runs ffmpeg, reading {@code -progress pipe:1} for the percent (10 to 99), its messages to
   * {@code log}; fails with ffmpeg's last words when it does not end well (killed, or refused).
   */
  private void run(List<String> command, Path log, AtomicReference<Process> running, double total, IntConsumer percent)
    throws IOException, InterruptedException, Failed {
    Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
    running.set(p);
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        Matcher m = OUT_TIME.matcher(line);
        if (m.matches() && total > 0) {
          double seconds = Long.parseLong(m.group(1)) / 1e6;
          percent.accept((int) Math.min(99, 10 + seconds / total * 89));
        }
      }
      int code = p.waitFor();
      if (code != 0) {
        throw new Failed("ffmpeg " + (code > 128 ? "was killed (signal " + (code - 128) + ")" : "failed (exit " + code + ")")
          + lastWords(log));
      }
    } finally {
      running.set(null);
    }
  }

  private static String lastWords(Path log) {
    try {
      Deque<String> last = new ArrayDeque<>();
      for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (!l.isBlank()) {
          last.addLast(l.trim());
          if (last.size() > 2) {
            last.removeFirst();
          }
        }
      }
      return last.isEmpty() ? "" : ": " + String.join(" / ", last);
    } catch (IOException | java.io.UncheckedIOException e) {
      return "";
    }
  }
}
