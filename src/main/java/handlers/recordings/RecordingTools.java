package handlers.recordings;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The programs server recordings need: {@code janus-pp-rec} (Debian {@code janus-tools}) to turn
 * Janus's {@code .mjr} files into media files, and {@code ffmpeg}/{@code ffprobe} (Debian
 * {@code ffmpeg}) to compose them. Found once at start-up (a configured path, or on {@code PATH});
 * the server starts without them, says what is missing in {@code /health/ready}, and starting a
 * recording answers 503 with the same words.
 */
public final class RecordingTools {

  private final String janusPpRec;
  private final String ffmpeg;
  private final String ffprobe;
  private final String missing;

  private RecordingTools(String janusPpRec, String ffmpeg, String ffprobe, String missing) {
    this.janusPpRec = janusPpRec;
    this.ffmpeg = ffmpeg;
    this.ffprobe = ffprobe;
    this.missing = missing;
  }

  /** Looks for each program (a path, or a name looked up on {@code PATH}). Blocking: a few file checks. */
  public static RecordingTools detect(String janusPpRec, String ffmpeg, String ffprobe) {
    String pp = find(janusPpRec);
    String ff = find(ffmpeg);
    String probe = find(ffprobe);
    List<String> problems = new ArrayList<>();
    if (pp == null) {
      problems.add(janusPpRec + " is not installed (apt-get install janus-tools)");
    }
    if (ff == null || probe == null) {
      problems.add((ff == null ? ffmpeg : ffprobe) + " is not installed (apt-get install ffmpeg)");
    }
    return new RecordingTools(pp, ff, probe, problems.isEmpty() ? null
      : "server recordings are off: " + String.join("; ", problems));
  }

  private static String find(String program) {
    if (program == null || program.isBlank()) {
      return null;
    }
    if (program.contains("/")) {
      return Files.isExecutable(Path.of(program)) ? program : null;
    }
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "/usr/bin:/bin" : path).split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  /** Null when everything is there; otherwise one sentence saying what is missing and how to install it. */
  public String missing() {
    return missing;
  }

  String janusPpRec() {
    return janusPpRec;
  }

  String ffmpeg() {
    return ffmpeg;
  }

  String ffprobe() {
    return ffprobe;
  }
}
