package handlers.captions;

import ai.SpeechRecognizer;
import ai.stt.CaptionListener;
import ai.stt.RecognitionRequest;
import ai.stt.RecognitionStream;
import ai.stt.Segment;
import common.Languages;
import handlers.AiUsage;
import handlers.media.AudioTap;
import io.github.jaredmdobson.concentus.OpusException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import security.Identity;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One published audio stream being captioned: its own UDP socket, the Janus forwarder that feeds
 * it, and a recognition stream per utterance (opened when speech starts, ended when the silence
 * gate says it is over, so that the final result comes a hangover after the last word). Only datagrams from the Janus host, with the SSRC Parley gave the
 * forwarder, from the one source port the first of them came from, are taken; everything else is
 * dropped and counted. When the forward is SRTP ({@code captions.server.srtp}), the stream makes a
 * fresh master key for Janus and takes only packets that key authenticates (the others, and replays,
 * dropped and counted); the source port is latched on the first authenticated one. Malformed RTP and
 * undecodable Opus are counted and skipped. UDP cannot push
 * back as {@code /ws/audio}'s socket does: audio queues for the recogniser up to
 * {@code captions.server.maxBacklogMs}; beyond that it is dropped (counted) until the recogniser has
 * caught up by half.
 */
final class ForwardedAudioStream implements CaptionListener {

  private static final Logger LOG = LoggerFactory.getLogger(ForwardedAudioStream.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final SpeechRecognizer recognizer;
  private final CaptionPublishedAudioHandler.Settings settings;
  private final AudioTap.Audio audio;
  private final CaptionSegments segments;
  private final AiUsage usage;
  private final CaptionPublishedAudioHandler.Counters counters;
  private final Runnable gone;
  private final Identity speaker;
  private final String streamId = UUID.randomUUID().toString();
  private final long ssrc = 1 + (RANDOM.nextLong() & 0xfffffffeL) % 0xfffffffeL;
  private final RtpReorderBuffer reorder;
  private final OpusSpeechDecoder decoder = new OpusSpeechDecoder();
  private final SpeechGate gate;
  private final String lang;

  private DatagramSocket socket;
  private SrtpDecryptor srtp;
  private Set<String> janusAddresses = Set.of();
  private int sourcePort = -1;
  private String srtpCrypto;
  private Long forwarderId;
  private RecognitionStream recognition;
  private boolean behind;
  private boolean stopped;
  private long idleTimer = -1;
  private long lastPacketNanos;
  private long fedBytes;
  private long duplicatesSeen;
  private long lateSeen;
  private int finals;

  ForwardedAudioStream(Vertx vertx, SpeechRecognizer recognizer, CaptionPublishedAudioHandler.Settings settings, AudioTap.Audio audio,
                       CaptionSegments segments, AiUsage usage, CaptionPublishedAudioHandler.Counters counters, Runnable gone) {
    this.vertx = vertx;
    this.recognizer = recognizer;
    this.settings = settings;
    this.audio = audio;
    this.segments = segments;
    this.usage = usage;
    this.counters = counters;
    this.gone = gone;
    this.speaker = new Identity(audio.userId(), audio.tenant(), audio.name(), null, List.of(), null);
    this.reorder = new RtpReorderBuffer(settings.jitterPackets());
    this.gate = new SpeechGate(settings.silenceDbfs(), settings.hangoverMs(), settings.prerollMs());
    this.lang = Languages.normalise(settings.language());
  }

  long ssrc() {
    return ssrc;
  }

  /** Opens the socket, then has Janus forward to it; recognition streams open as speech comes. */
  void start() {
    DatagramSocket udp = vertx.createDatagramSocket(new DatagramSocketOptions().setReceiveBufferSize(256 * 1024));
    socket = udp;
    udp.handler(this::onDatagram);
    udp.exceptionHandler(err -> LOG.debug("Forwarded-audio socket error: {}", err.getMessage()));
    vertx.<List<InetAddress>>executeBlocking(() -> List.of(InetAddress.getAllByName(audio.janusHost())))
      .compose(addresses -> {
        janusAddresses = addresses.stream().map(InetAddress::getHostAddress).collect(Collectors.toSet());
        if (secured(addresses)) {
          byte[] master = SrtpDecryptor.freshMaster();
          srtp = new SrtpDecryptor(settings.srtpSuite(), master);
          srtpCrypto = SrtpDecryptor.crypto(master);
        }
        return udp.listen(0, settings.bindHost());
      })
      .compose(bound -> {
        if (stopped) {
          return Future.failedFuture("stopped");
        }
        JsonObject keys = srtp == null ? null : new JsonObject().put("suite", srtp.suite()).put("crypto", srtpCrypto);
        srtpCrypto = null; // Janus has it now; this side keeps only the derived session keys
        return audio.forwarder().forward(settings.forwardHost(), bound.localAddress().port(), ssrc, keys);
      })
      .onSuccess(id -> {
        forwarderId = id;
        if (stopped) {
          audio.forwarder().stop(id);
          return;
        }
        lastPacketNanos = System.nanoTime();
        idleTimer = vertx.setPeriodic(Math.max(20, settings.idleMs() / 2), t -> onIdleCheck());
        LOG.info("Captioning feed {} of meeting {} (forwarder {} to {}:{}, {})", audio.feedId(), audio.meetingId(), id,
          settings.forwardHost(), socket.localAddress().port(), srtp == null ? "RTP" : "SRTP suite " + srtp.suite());
      })
      .onFailure(err -> {
        if (!stopped) {
          fail("Janus did not forward the audio: " + err.getMessage());
        }
      });
  }

  /** Whether this forward is SRTP: always, never, or (auto) unless every address of the Janus host is a loopback one. */
  private boolean secured(List<InetAddress> janus) {
    return switch (settings.srtp()) {
      case ALWAYS -> true;
      case NEVER -> false;
      case AUTO -> !janus.stream().allMatch(InetAddress::isLoopbackAddress);
    };
  }

  private void fail(String why) {
    LOG.warn("No server captions for feed {} of meeting {}: {}", audio.feedId(), audio.meetingId(), why);
    counters.failures.increment();
    stop("failed");
  }

  /** Stops forwarding and recognising; the recogniser's last words are still captioned unless the room was lost. */
  void stop(String reason) {
    if (stopped) {
      return;
    }
    stopped = true;
    if (idleTimer >= 0) {
      vertx.cancelTimer(idleTimer);
    }
    if (forwarderId != null && !"lost".equals(reason) && !"ended".equals(reason)) {
      audio.forwarder().stop(forwarderId)
        .onFailure(err -> LOG.debug("Forwarder {} not stopped: {}", forwarderId, err.getMessage()));
    }
    if (socket != null) {
      socket.close();
    }
    if (recognition != null) {
      if ("lost".equals(reason) || "failed".equals(reason)) {
        recognition.abort();
      } else {
        recognition.end(); // its last words are still captioned
      }
      recognition = null;
    }
    double seconds = fedBytes / (2.0 * OpusSpeechDecoder.OUTPUT_RATE);
    if (seconds > 0) {
      usage.record(audio.tenant(), audio.meetingId(), "stt", recognizer.provider(), seconds, "seconds");
    }
    LOG.info("Stopped captioning feed {} of meeting {} ({})", audio.feedId(), audio.meetingId(), reason);
    gone.run();
  }

  // --- Packets in ---

  private void onDatagram(DatagramPacket datagram) {
    if (stopped) {
      return;
    }
    if (!janusAddresses.contains(datagram.sender().host()) || (sourcePort >= 0 && datagram.sender().port() != sourcePort)) {
      counters.foreign.increment();
      return;
    }
    Buffer data = datagram.data();
    if (srtp != null) {
      // the SSRC is in the clear: another stream's packets are foreign, not forgeries
      if (data.length() >= RtpPacket.HEADER_BYTES && data.getUnsignedInt(8) != ssrc) {
        counters.foreign.increment();
        return;
      }
      SrtpDecryptor.Unprotected unprotected = srtp.unprotect(data);
      switch (unprotected.outcome()) {
        case MALFORMED -> {
          counters.malformed.increment();
          return;
        }
        case UNAUTHENTICATED -> {
          counters.unauthenticated.increment();
          return;
        }
        case REPLAYED -> {
          counters.replayed.increment();
          return;
        }
        case OK -> data = unprotected.rtp();
      }
    }
    RtpPacket packet = RtpPacket.parse(data);
    if (packet == null) {
      counters.malformed.increment();
      return;
    }
    if (packet.ssrc() != ssrc) {
      counters.foreign.increment();
      return;
    }
    if (sourcePort < 0) {
      sourcePort = datagram.sender().port();
    }
    counters.accepted.increment();
    lastPacketNanos = System.nanoTime();
    for (RtpReorderBuffer.Released released : reorder.add(packet)) {
      if (released.lost() > 0) {
        counters.lost.increment(released.lost());
        feed(decoder.conceal(released.lost()));
      }
      byte[] pcm;
      try {
        pcm = decoder.decode(released.packet().payload());
      } catch (OpusException | RuntimeException e) {
        counters.undecodable.increment();
        continue;
      }
      feed(pcm);
    }
    long dup = reorder.duplicates();
    if (dup > duplicatesSeen) {
      counters.duplicate.increment(dup - duplicatesSeen);
      duplicatesSeen = dup;
    }
    long late = reorder.late();
    if (late > lateSeen) {
      counters.late.increment(late - lateSeen);
      lateSeen = late;
    }
  }

  /** No packets for a while (DTX, a track switched off, the network): the recogniser gets what is left of the hangover. */
  private void onIdleCheck() {
    if (stopped || System.nanoTime() - lastPacketNanos < settings.idleMs() * 1_000_000L) {
      return;
    }
    int left = gate.hangoverLeft();
    if (left > 0) {
      write(gate.fillHangover(left));
      endUtterance();
    }
  }

  private void feed(byte[] pcm) {
    byte[] out = gate.offer(pcm);
    if (out != null) {
      write(out);
    }
    endUtterance();
  }

  private void endUtterance() {
    if (gate.utteranceEnded() && recognition != null) {
      recognition.end();
      recognition = null;
    }
  }

  private void write(byte[] pcm) {
    if (pcm.length == 0 || stopped) {
      return;
    }
    if (recognition == null) {
      try {
        recognition = recognizer.open(new RecognitionRequest(streamId, settings.language(), OpusSpeechDecoder.OUTPUT_RATE), this);
      } catch (RuntimeException e) {
        fail("could not open a recognition stream: " + e.getMessage());
        return;
      }
      recognition.exceptionHandler(this::onError);
    }
    long backlog = recognition.backlogMillis();
    if (behind && backlog <= settings.maxBacklogMs() / 2) {
      behind = false;
    }
    if (behind || backlog > settings.maxBacklogMs()) {
      behind = true;
      counters.behind.increment();
      return;
    }
    fedBytes += pcm.length;
    recognition.write(Buffer.buffer(pcm));
  }

  // --- Results out ---

  @Override
  public void onPartial(Segment s) {
    segments.post(speaker, audio.meetingId(), streamId + ":" + finals, false, lang, s, recognizer.punctuates(), new JsonObject());
  }

  @Override
  public void onFinal(Segment s) {
    if (!s.text().isBlank()) {
      segments.post(speaker, audio.meetingId(), streamId + ":" + finals++, true, lang, s, recognizer.punctuates(), new JsonObject());
    }
  }

  @Override
  public void onError(Throwable t) {
    if (!stopped) {
      fail("the recogniser failed: " + t);
    }
  }

  @Override
  public void onEnd() {
    // after stop(): the last result has been given
  }
}
