package ai.stt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The small English Vosk model ships inside the jar (the {@code com.alphacephei:vosk-model-en}
 * aar copied to {@code models/vosk-model-en.zip} at build time). On first use it is unpacked into
 * the data folder: into a temporary folder first, then renamed, so a crash half-way leaves no
 * half-model behind. Nothing is downloaded.
 */
public final class VoskModels {

  static final String RESOURCE = "models/vosk-model-en.zip";
  static final String PREFIX = "assets/model-en-us/";
  static final String MARKER = ".complete";

  private VoskModels() {
  }

  /** Blocking file I/O: call from a worker thread. */
  public static Path unpackEnglish(Path dataDir) throws IOException {
    Path target = dataDir.resolve("models").resolve("vosk-model-en-us");
    if (Files.exists(target.resolve(MARKER))) {
      return target;
    }
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempDirectory(target.getParent(), "vosk-unpack-");
    try (InputStream raw = VoskModels.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (raw == null) {
        throw new IOException("the Vosk model " + RESOURCE + " is not on the classpath (build with mvn package)");
      }
      try (ZipInputStream zip = new ZipInputStream(raw)) {
        ZipEntry entry;
        while ((entry = zip.getNextEntry()) != null) {
          if (!entry.getName().startsWith(PREFIX) || entry.isDirectory()) {
            continue;
          }
          Path out = tmp.resolve(entry.getName().substring(PREFIX.length())).normalize();
          if (!out.startsWith(tmp)) {
            throw new IOException("unsafe entry in the model archive: " + entry.getName());
          }
          Files.createDirectories(out.getParent());
          Files.copy(zip, out, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Files.writeString(tmp.resolve(MARKER), "ok\n");
      deleteRecursively(target);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } finally {
      deleteRecursively(tmp);
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    common.Folders.deleteRecursively(dir);
  }
}
