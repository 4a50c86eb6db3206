package handlers.captions;

import ai.SpeechRecognizer;
import handlers.AiUsage;
import handlers.media.AudioTap;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import telemetry.FrameTracing;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * Server-side captions in SFU meetings: every live published audio the rooms of a media instance
 * report ({@link AudioTap}) is forwarded by Janus ({@code rtp_forward}) as RTP to a UDP socket of
 * this node opened for that stream alone, depacketised, decoded from Opus, resampled to 16 kHz,
 * its silence skipped, and recognised with the publisher as the speaker; the segments go to the AI
 * bridge like those of {@code /ws/audio}. Starts when a person's audio goes live (if server
 * captions are on for the meeting), stops when they mute, are blocked, unpublish, leave or are
 * removed, or the room goes. Confined to the media instance's event loop.
 */
public final class CaptionPublishedAudioHandler implements AudioTap {

  private static final Logger LOG = LoggerFactory.getLogger(CaptionPublishedAudioHandler.class);

  /**
   * The {@code captions.server} settings: {@code bindHost} the UDP sockets listen on,
   * {@code forwardHost} the address Janus sends to (this node as Janus reaches it), the jitter
   * buffer's depth in packets, silence
   * threshold (dBFS), hangover and preroll (ms), the spoken language, how long without packets
   * (ms) counts as silence for ending an utterance, how much audio (ms) may wait for the
   * recogniser before more is dropped, whether Janus forwards as SRTP ({@code srtp}) and with which
   * suite ({@code srtpSuite}: 80 or 32, AES_CM_128_HMAC_SHA1_80 or _32).
   */
  public record Settings(boolean enabled, String bindHost, String forwardHost, int jitterPackets,
                         double silenceDbfs, long hangoverMs, long prerollMs, String language, long idleMs, long maxBacklogMs,
                         Srtp srtp, int srtpSuite) {

    public Settings {
      if (srtpSuite != 80 && srtpSuite != 32) {
        throw new IllegalArgumentException("captions.server.srtpSuite must be 80 or 32, not " + srtpSuite);
      }
    }

    /** Plain RTP (loopback, a test or a bench playing Janus). */
    public Settings(boolean enabled, String bindHost, String forwardHost, int jitterPackets, double silenceDbfs, long hangoverMs,
                    long prerollMs, String language, long idleMs, long maxBacklogMs) {
      this(enabled, bindHost, forwardHost, jitterPackets, silenceDbfs, hangoverMs, prerollMs, language, idleMs, maxBacklogMs,
        Srtp.NEVER, 80);
    }
  }

  /**
   * When Janus forwards as SRTP: {@code AUTO} when the Janus that holds the room is not on a
   * loopback address (it is on another host, so the audio crosses a network), {@code ALWAYS},
   * {@code NEVER} (plain RTP).
   */
  public enum Srtp {
    AUTO, ALWAYS, NEVER;

    /** {@code auto}, {@code always} or {@code never}. */
    public static Srtp parse(String value) {
      return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** The packet counters, by outcome; package-private for the streams. */
  static final class Counters {
    final Counter accepted;
    final Counter foreign;
    final Counter malformed;
    final Counter undecodable;
    final Counter duplicate;
    final Counter late;
    final Counter behind;
    final Counter unauthenticated;
    final Counter replayed;
    final Counter lost;
    final Counter failures;

    Counters(MeterRegistry registry) {
      accepted = packets(registry, "accepted");
      foreign = packets(registry, "foreign");
      malformed = packets(registry, "malformed");
      undecodable = packets(registry, "undecodable");
      duplicate = packets(registry, "duplicate");
      late = packets(registry, "late");
      behind = packets(registry, "behind");
      unauthenticated = packets(registry, "unauthenticated");
      replayed = packets(registry, "replayed");
      lost = Counter.builder("parley.captions.rtp.lost").description("Forwarded audio packets that never came (concealed or skipped)")
        .register(registry);
      failures = Counter.builder("parley.captions.rtp.failures")
        .description("Forwarded-audio streams that could not start or whose recogniser failed").register(registry);
    }

    private static Counter packets(MeterRegistry registry, String outcome) {
      return Counter.builder("parley.captions.rtp.packets").tag("outcome", outcome)
        .description("UDP datagrams on the forwarded-audio sockets, by outcome").register(registry);
    }
  }

  private final Vertx vertx;
  private final SpeechRecognizer recognizer;
  private final Settings settings;
  private final BiFunction<String, UUID, Future<Boolean>> captionsOn;
  private final CaptionSegments segments;
  private final AiUsage usage;
  private final Counters counters;
  private final Map<String, ForwardedAudioStream> streams = new HashMap<>();
  /** One count per registry (every media instance of a node adds to its node's gauge). */
  private static final Map<MeterRegistry, AtomicInteger> LIVE = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
  private final AtomicInteger live;

  /**
   * @param captionsOn whether server captions are on for a meeting ({@code tenant}, {@code meetingId}):
   *                   the meeting's setting, else the tenant's
   */
  public CaptionPublishedAudioHandler(Vertx vertx, SpeechRecognizer recognizer, OpenTelemetry openTelemetry,
                                      MeterRegistry registry, Settings settings,
                                      BiFunction<String, UUID, Future<Boolean>> captionsOn) {
    this.vertx = vertx;
    this.recognizer = recognizer;
    this.settings = settings;
    this.captionsOn = captionsOn;
    this.segments = new CaptionSegments(vertx.eventBus(), new FrameTracing(openTelemetry));
    this.usage = new AiUsage(vertx.eventBus());
    this.counters = new Counters(registry);
    this.live = LIVE.computeIfAbsent(registry, r -> {
      AtomicInteger count = new AtomicInteger();
      Gauge.builder("parley.captions.rtp.streams", count, AtomicInteger::get)
        .description("Published audio streams being captioned on this node").register(r);
      return count;
    });
  }

  private static String key(UUID meetingId, long feedId) {
    return meetingId + ":" + feedId;
  }

  /** Streams being captioned now (for tests and the bench). */
  public int streams() {
    return streams.size();
  }

  @Override
  public void started(Audio audio) {
    if (!settings.enabled()) {
      return;
    }
    if (!recognizer.isConfiguredProperly()) {
      LOG.debug("No server captions for feed {}: {}", audio.feedId(), recognizer.configurationProblem());
      return;
    }
    String key = key(audio.meetingId(), audio.feedId());
    if (streams.containsKey(key)) {
      return;
    }
    ForwardedAudioStream stream = new ForwardedAudioStream(vertx, recognizer, settings, audio, segments, usage, counters,
      () -> {
        if (streams.remove(key) != null) {
          live.decrementAndGet();
        }
      });
    streams.put(key, stream);
    live.incrementAndGet();
    captionsOn.apply(audio.tenant(), audio.meetingId())
      .recover(err -> {
        LOG.warn("Could not read the captions setting of meeting {} ({}); captioning", audio.meetingId(), err.getMessage());
        return Future.succeededFuture(true);
      })
      .onSuccess(on -> {
        if (on) {
          stream.start();
        } else {
          stream.stop("off");
        }
      });
  }

  @Override
  public void stopped(UUID meetingId, long feedId, String reason) {
    ForwardedAudioStream stream = streams.get(key(meetingId, feedId));
    if (stream != null) {
      stream.stop(reason);
    }
  }
}
