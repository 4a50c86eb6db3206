package handlers.recordings;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The composition with the real ffmpeg, on streams made by ffmpeg itself (a test pattern, a tone):
 * someone who joins late appears in their cell when they joined and extends the file; a screen
 * share takes the large cell; the audio of both is in it.
 */
@DisplayName("Recording composition (real ffmpeg): late joiner offset, grid and screen layout, mixed audio")
class RecordingComposerTest {

  static RecordingTools tools;
  static final RecordingComposer.Settings SETTINGS = new RecordingComposer.Settings(640, 360, 10, "ultrafast", 30, 64, 60_000);

  @BeforeAll
  static void tools() {
    tools = RecordingTools.detect("janus-pp-rec", "ffmpeg", "ffprobe");
    if (tools.missing() != null) {
      System.out.println("[composer] SKIPPED: " + tools.missing());
    }
    Assumptions.assumeTrue(tools.missing() == null, tools.missing());
  }

  static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  static Path video(Path dir, String name, double seconds) throws Exception {
    Path file = dir.resolve(name + ".webm");
    run(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10:duration=" + seconds,
      "-c:v", "libvpx", "-deadline", "realtime", "-b:v", "300k", file.toString()));
    return file;
  }

  static Path tone(Path dir, String name, double seconds) throws Exception {
    Path file = dir.resolve(name + ".opus");
    run(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + seconds,
      "-c:a", "libopus", file.toString()));
    return file;
  }

  /** The mean luma (0-255) of one cell of the frame at {@code t}. */
  static int luma(Path file, double t, int[] cell) throws Exception {
    Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-ss", String.valueOf(t), "-i", file.toString(), "-frames:v", "1",
      "-vf", "crop=" + cell[2] + ":" + cell[3] + ":" + cell[0] + ":" + cell[1] + ",scale=1:1", "-pix_fmt", "gray", "-f", "rawvideo", "-")
      .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(1, out.length, "one pixel");
    return out[0] & 0xff;
  }

  @Test
  @DisplayName("two cameras, the second 3 s late: 9 s long, its cell black at 1 s and showing at 5 s, video + audio streams")
  void lateJoiner(@TempDir Path dir) throws Exception {
    RecordingComposer composer = new RecordingComposer(tools, SETTINGS);
    long t0 = 1_000_000_000L;
    List<RecordingComposer.Track> tracks = List.of(
      new RecordingComposer.Track("camera-1", "camera", true, t0, video(dir, "a", 6), 6),
      new RecordingComposer.Track("camera-2", "camera", true, t0 + 3_000_000, video(dir, "b", 6), 6),
      new RecordingComposer.Track("camera-1", "camera", false, t0, tone(dir, "a", 6), 6),
      new RecordingComposer.Track("camera-2", "camera", false, t0 + 3_000_000, tone(dir, "b", 6), 6));
    Path out = dir.resolve("out.mp4");
    run(composer.ffmpegCommand(tracks, t0, 9, "mp4", out));
    String streams = run(List.of("ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name", "-of", "csv=p=0",
      out.toString()));
    assertTrue(streams.contains("h264,video") && streams.contains("aac,audio"), streams);
    double seconds = Double.parseDouble(run(List.of("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
      "default=noprint_wrappers=1:nokey=1", out.toString())).trim());
    assertEquals(9, seconds, 0.5, "the late joiner's 6 s end at 9 s");
    Map<String, int[]> cells = composer.layout(tracks.stream().filter(RecordingComposer.Track::video).toList());
    assertArrayEquals(new int[]{0, 0, 320, 360}, cells.get("camera-1"), "two cameras side by side");
    assertArrayEquals(new int[]{320, 0, 320, 360}, cells.get("camera-2"));
    assertTrue(luma(out, 1, cells.get("camera-2")) < 20, "the second camera's cell is black before she joined");
    assertTrue(luma(out, 5, cells.get("camera-2")) > 40, "and shows her test pattern once she has");
    assertTrue(luma(out, 1, cells.get("camera-1")) > 40, "the first camera shows from the start");
  }

  @Test
  @DisplayName("a screen share takes the left three quarters, the cameras a column on the right; five cameras make a 3x2 grid")
  void layouts() {
    RecordingComposer composer = new RecordingComposer(tools, SETTINGS);
    Path none = Path.of("unused");
    Map<String, int[]> withScreen = composer.layout(List.of(
      new RecordingComposer.Track("camera-1", "camera", true, 0, none, 1),
      new RecordingComposer.Track("screen-9", "screen", true, 0, none, 1),
      new RecordingComposer.Track("camera-2", "camera", true, 0, none, 1)));
    assertArrayEquals(new int[]{0, 0, 480, 360}, withScreen.get("screen-9"));
    assertArrayEquals(new int[]{480, 0, 160, 180}, withScreen.get("camera-1"));
    assertArrayEquals(new int[]{480, 180, 160, 180}, withScreen.get("camera-2"));
    Map<String, int[]> grid = composer.layout(List.of(1, 2, 3, 4, 5).stream()
      .map(i -> new RecordingComposer.Track("camera-" + i, "camera", true, 0, none, 1)).toList());
    assertArrayEquals(new int[]{212, 180, 212, 180}, grid.get("camera-5"), "row 2, column 2 of 3 columns of 212 px");
  }

  @Test
  @DisplayName("after the room was placed again (new feeds after the old ones ended): two people keep two cells, not four")
  void feedsAfterAFailoverTakeTheFreedCells() {
    RecordingComposer composer = new RecordingComposer(tools, SETTINGS);
    Path none = Path.of("unused");
    long s = 1_000_000;
    // Ann and Ben until Janus died at 8 s; their pages published again (new feeds) at 11 s and 12 s
    Map<String, int[]> cells = composer.layout(List.of(
      new RecordingComposer.Track("camera-11", "camera", true, 0, none, 8),
      new RecordingComposer.Track("camera-22", "camera", true, 1 * s, none, 7),
      new RecordingComposer.Track("camera-33", "camera", true, 11 * s, none, 9),
      new RecordingComposer.Track("camera-44", "camera", true, 12 * s, none, 8)));
    assertArrayEquals(new int[]{0, 0, 320, 360}, cells.get("camera-11"));
    assertArrayEquals(new int[]{320, 0, 320, 360}, cells.get("camera-22"));
    assertArrayEquals(cells.get("camera-11"), cells.get("camera-33"), "the first new feed takes the first freed cell");
    assertArrayEquals(cells.get("camera-22"), cells.get("camera-44"));
    // one still showing when the next starts: its own cell
    Map<String, int[]> overlapping = composer.layout(List.of(
      new RecordingComposer.Track("camera-1", "camera", true, 0, none, 8),
      new RecordingComposer.Track("camera-2", "camera", true, 0, none, 5),
      new RecordingComposer.Track("camera-3", "camera", true, 6 * s, none, 4)));
    assertArrayEquals(cells.get("camera-22"), overlapping.get("camera-3"), "camera-2's cell, free since 5 s, not camera-1's");
    assertArrayEquals(new int[]{0, 0, 320, 360}, overlapping.get("camera-1"));
  }
}
