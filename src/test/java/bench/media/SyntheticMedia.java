package bench.media;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.AudioDeviceModule;
import dev.onvoid.webrtc.media.audio.AudioLayer;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * libwebrtc (webrtc-java's natives) for synthetic participants: one {@link PeerConnectionFactory}
 * with a dummy audio device (no sound card here), and one thread that pushes a moving synthetic
 * picture into every publisher's {@link CustomVideoSource} at a fixed frame rate, so N publishers
 * cost one picture a tick (each still encodes its own copy).
 */
public final class SyntheticMedia implements AutoCloseable {

  /** The synthetic camera: size and frame rate. */
  public record Video(int width, int height, int fps) {
    /** {@code 640x360@15}. */
    public static Video parse(String text) {
      String[] sizeAndRate = text.trim().split("@");
      String[] size = sizeAndRate[0].split("x");
      Video video = new Video(Integer.parseInt(size[0]), Integer.parseInt(size[1]),
        sizeAndRate.length > 1 ? Integer.parseInt(sizeAndRate[1]) : 15);
      if (video.width < 16 || video.height < 16 || video.width % 2 != 0 || video.height % 2 != 0 || video.fps < 1 || video.fps > 60) {
        throw new IllegalArgumentException("video must be WIDTHxHEIGHT@FPS with even sizes of at least 16 and 1-60 fps: " + text);
      }
      return video;
    }

    @Override
    public String toString() {
      return width + "x" + height + "@" + fps;
    }
  }

  private static String unavailable;
  private static boolean probed;

  /**
   * Why synthetic peers cannot run here (the natives did not load: the error's text), or null when
   * they can. Probed once per JVM.
   */
  public static synchronized String unavailable() {
    if (!probed) {
      probed = true;
      try {
        AudioDeviceModule adm = new AudioDeviceModule(AudioLayer.kDummyAudio);
        PeerConnectionFactory factory = new PeerConnectionFactory(adm);
        factory.dispose();
        adm.dispose();
      } catch (Throwable e) {
        unavailable = "webrtc-java's libwebrtc natives (dev.onvoid.webrtc:webrtc-java:linux-x86_64) did not load: " + e;
      }
    }
    return unavailable;
  }

  private final Video video;
  private final AudioDeviceModule adm;
  private final PeerConnectionFactory factory;
  private final List<CustomVideoSource> sources = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService pump;
  private final byte[] luma;
  private final byte[] chroma;
  private long frames;

  public SyntheticMedia(Video video) {
    this.video = video;
    this.adm = new AudioDeviceModule(AudioLayer.kDummyAudio);
    this.factory = new PeerConnectionFactory(adm);
    // a textured picture twice as wide as the frame, slid sideways a few pixels each frame: the
    // encoder has detail and motion to code, as with a camera (a flat frame costs almost nothing)
    Random random = new Random(18);
    luma = new byte[video.width * 2 * video.height];
    for (int y = 0; y < video.height; y++) {
      for (int x = 0; x < video.width * 2; x++) {
        int v = ((x / 24 + y / 24) % 2 == 0 ? 70 : 170) + random.nextInt(40) + (x * 60 / (video.width * 2));
        luma[y * video.width * 2 + x] = (byte) Math.min(255, v);
      }
    }
    chroma = new byte[video.width * (video.height / 2)];
    for (int i = 0; i < chroma.length; i++) {
      chroma[i] = (byte) (100 + (i % video.width) * 56 / video.width);
    }
    pump = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "synthetic-camera");
      t.setDaemon(true);
      return t;
    });
    pump.scheduleAtFixedRate(this::pushFrame, 0, 1_000_000 / video.fps, TimeUnit.MICROSECONDS);
  }

  public PeerConnectionFactory factory() {
    return factory;
  }

  public Video video() {
    return video;
  }

  /** A camera fed by the pump from now on, until {@link #stop(CustomVideoSource)}. */
  public CustomVideoSource camera() {
    CustomVideoSource source = new CustomVideoSource();
    sources.add(source);
    return source;
  }

  /** Stops feeding {@code source} (the caller disposes of it after its track). */
  public void stop(CustomVideoSource source) {
    sources.remove(source);
  }

  private void pushFrame() {
    if (sources.isEmpty()) {
      return;
    }
    try {
      NativeI420Buffer buffer = NativeI420Buffer.allocate(video.width, video.height);
      int shift = (int) (frames++ * 4 % video.width);
      fill(buffer.getDataY(), buffer.getStrideY(), luma, video.width * 2, shift, video.width, video.height);
      int cw = video.width / 2;
      int ch = video.height / 2;
      fill(buffer.getDataU(), buffer.getStrideU(), chroma, video.width, shift / 2, cw, ch);
      fill(buffer.getDataV(), buffer.getStrideV(), chroma, video.width, (cw - shift / 2) % cw, cw, ch);
      VideoFrame frame = new VideoFrame(buffer, System.nanoTime());
      for (CustomVideoSource source : sources) {
        source.pushFrame(frame);
      }
      frame.release();
    } catch (RuntimeException e) {
      System.err.println("[synthetic-camera] frame not pushed: " + e);
    }
  }

  private static void fill(ByteBuffer plane, int stride, byte[] picture, int pictureWidth, int shift, int width, int height) {
    for (int y = 0; y < height; y++) {
      plane.position(y * stride);
      plane.put(picture, y * pictureWidth + shift, width);
    }
  }

  @Override
  public void close() {
    pump.shutdownNow();
    try {
      pump.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    factory.dispose();
    adm.dispose();
  }
}
