package common;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every event-bus address Parley uses. The public ones (reachable over the SockJS bridge) are in
 * ARCHITECTURE.md section 4; the {@code parley.*} ones are internal and never bridged.
 *
 * <p>Requests carry the caller in the {@code x-parley-identity} header (set by the gateway only)
 * and are answered with a JSON reply, or failed with the contract's HTTP-like codes: 400 bad
 * input, 401 no identity, 403 not allowed, 404 unknown or other tenant's id, 409 conflict
 * (meeting ended, not a participant), 422 blocked by the safety policy, 429 rate limited,
 * 503 dependency down.
 */
public final class Addresses {

  private Addresses() {
  }

  // --- Public, client to server (SEND with a reply) ---

  /** {@code {meetingId, text, clientId}} -> {@code {id, seq, moderation}}; 422 when blocked. */
  public static final String CHAT_SEND = "chat.send";
  /** {@code {meetingId, to, kind: offer|answer|ice|bye, data}} -> {@code {}}; 404 when {@code to} is not present. */
  public static final String SIGNAL_SEND = "signal.send";
  /** {@code {meetingId}} -> {@code {participants:[{userId, name, lastSeen, handRaised}]}}. */
  public static final String PRESENCE_PING = "presence.ping";
  /** {@code {meetingId, lang}} -> {@code {languages:[...]}}. */
  public static final String CAPTIONS_LANGUAGE = "captions.language";
  /** {@code {meetingId, raised}} -> {@code {}}. */
  public static final String MEETING_HAND = "meeting.hand";

  // --- Public, server to clients (publish) ---

  private static final String MEETING_PREFIX = "meeting.";

  /** {@code {type: joined|left|ended|hand|status, ...}}. */
  public static String meeting(UUID id) {
    return MEETING_PREFIX + id;
  }

  /** {@code {id, seq, senderId, senderName, text, ts, moderation}}. */
  public static String meetingChat(UUID id) {
    return meeting(id) + ".chat";
  }

  /** {@code {segmentId, final, speakerId, lang, text, translations, startMs, endMs, redacted}}. */
  public static String meetingCaptions(UUID id) {
    return meeting(id) + ".captions";
  }

  /** WebRTC signaling for one participant: {@code {from, fromName, kind, data}}. */
  public static String meetingSignal(UUID id, String participantId) {
    return meeting(id) + ".signal." + participantId;
  }

  /** The outbound addresses a bridge client may register for, as one regex. */
  public static final String OUTBOUND_REGEX =
    "meeting\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\\.chat|\\.captions|\\.signal\\.[A-Za-z0-9_-]{1,64})?";

  private static final Pattern OUTBOUND = Pattern.compile(
    "meeting\\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\\.(chat|captions)|\\.signal\\.([A-Za-z0-9_-]{1,64}))?");

  /** A parsed outbound address: its meeting, and the signal target when it is a signal address. */
  public record Outbound(UUID meetingId, String kind, String signalTarget) {
  }

  /** Parses an address a client wants to register for; null when it is not one of ours. */
  public static Outbound parseOutbound(String address) {
    if (address == null) {
      return null;
    }
    Matcher m = OUTBOUND.matcher(address);
    if (!m.matches()) {
      return null;
    }
    String kind = m.group(3) != null ? "signal" : m.group(2) != null ? m.group(2) : "events";
    return new Outbound(UUID.fromString(m.group(1)), kind, m.group(3));
  }

  // --- Internal (never bridged) ---

  public static final String MEETING_CREATE = "parley.meeting.create";
  public static final String MEETING_LIST = "parley.meeting.list";
  public static final String MEETING_GET = "parley.meeting.get";
  public static final String MEETING_JOIN = "parley.meeting.join";
  public static final String MEETING_LEAVE = "parley.meeting.leave";
  public static final String MEETING_END = "parley.meeting.end";
  public static final String MEETING_PARTICIPANTS = "parley.meeting.participants";
  /** {@code {meetingId}} -> {@code {member, present, role, status}}; 404 for unknown/other tenant. */
  public static final String MEETING_MEMBERSHIP = "parley.meeting.membership";
  /** A bridge socket of the caller closed: {@code {meetingId}}; no reply. */
  public static final String PRESENCE_DISCONNECTED = "parley.presence.disconnected";
  /** A bridge socket of the caller registered for a meeting: {@code {meetingId}}; no reply. */
  public static final String PRESENCE_CONNECTED = "parley.presence.connected";
  public static final String CHAT_HISTORY = "parley.chat.history";
  public static final String TENANT_GET = "parley.tenant.get";
  public static final String TENANT_PUT = "parley.tenant.put";
  /** {@code {meetingId}} -> {@code {meetingId, segments:[...]}}; members only. */
  public static final String TRANSCRIPT_GET = "parley.transcript.get";
  /** {@code {from?, to?}} -> meeting minutes, AI units and cost per service; admins only. */
  public static final String USAGE_GET = "parley.usage.get";
  /**
   * A recognised segment from an audio stream: {@code {meetingId, segmentId, final, speakerId,
   * speakerName, tenant, lang, text, startMs, endMs, audioReceivedAtMs}}; no reply. The AI bridge
   * checks it, translates finals and publishes it on {@code meeting.{id}.captions}.
   */
  public static final String AI_CAPTION = "parley.ai.caption";
  /** Metered AI work: {@code {tenant, meetingId, service, provider, units, unit}}; no reply. */
  public static final String AI_USAGE = "parley.ai.usage";

  /** {@code {meetingId, contentType, name?}} -> the new recording, {@code status: uploading}; present participants only. */
  public static final String RECORDING_START = "parley.recording.start";
  /** {@code {recordingId}} -> the recording, now complete and listed; its maker or the host. */
  public static final String RECORDING_COMPLETE = "parley.recording.complete";
  /** {@code {meetingId, kind: recording|file|transcript, limit?}} -> {@code {items:[...]}}; participants only. */
  public static final String OBJECTS_LIST = "parley.objects.list";
  /**
   * A meeting ended: {@code {tenant, meetingId}}; no reply. The collaboration service writes the
   * transcript to the blob store and completes recordings still being uploaded.
   */
  public static final String MEETING_ENDED = "parley.meeting.ended";
  /** {@code {}} -> what the pass did; admins only; 409 while another node runs one. */
  public static final String LIFECYCLE_RUN = "parley.lifecycle.run";
}
