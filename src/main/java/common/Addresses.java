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
  /**
   * {@code {meetingId, to, kind: offer|answer|ice|bye|probe, data}} -> {@code {}}; 404 when {@code to}
   * is not present; a {@code probe} goes only to oneself (to learn that one's signaling address delivers).
   */
  public static final String SIGNAL_SEND = "signal.send";
  /** {@code {meetingId}} -> {@code {participants:[{userId, name, lastSeen, handRaised}]}}. */
  public static final String PRESENCE_PING = "presence.ping";
  /** {@code {meetingId, lang}} -> {@code {languages:[...]}}. */
  public static final String CAPTIONS_LANGUAGE = "captions.language";
  /** {@code {meetingId, raised}} -> {@code {}}. */
  public static final String MEETING_HAND = "meeting.hand";
  /**
   * {@code {meetingId, emoji}} -> {@code {}}: a reaction everyone sees as {@code {type: reaction,
   * userId, name, emoji}} on {@code meeting.{id}}; the emoji is one of {@code REACTIONS}; rate limited
   * per socket (429).
   */
  public static final String MEETING_REACTION = "meeting.reaction";
  /**
   * {@code {meetingId, audio, video}} -> {@code {}}: the sender's microphone and camera are on (true)
   * or off; everyone sees {@code {type: media, userId, audio, video}} on {@code meeting.{id}}, and
   * presence answers carry it.
   */
  public static final String MEETING_MEDIA = "meeting.media";
  /**
   * {@code {meetingId, pollId, choices: [optionIndex]}} -> the poll with its counts and the caller's
   * {@code mine}; one vote per person, replaced by a later one while open; 409 once closed.
   */
  public static final String POLL_VOTE = "poll.vote";
  /**
   * {@code {meetingId, clientId, op}} -> {@code {seq, op, duplicate}}: one whiteboard operation
   * (stroke, shape, text, erase, clear, undo), stored with the meeting's next whiteboard seq and
   * published on {@link #meetingWhiteboard}; idempotent on {@code clientId}.
   */
  public static final String WHITEBOARD_DRAW = "whiteboard.draw";
  /** {@code {meetingId, x, y}} -> {@code {}}: where my pointer is on the board; published, never stored. */
  public static final String WHITEBOARD_POINTER = "whiteboard.pointer";
  /**
   * {@code {meetingId, clientId, update}} -> {@code {seq, duplicate}}: Automerge changes (base64) to
   * the meeting's shared notes, checked, stored with the meeting's next notes seq and published on
   * {@link #meetingNotes}; idempotent on {@code clientId}.
   */
  public static final String NOTES_UPDATE = "notes.update";

  // Media on the SFU (ARCHITECTURE.md section 4): the browser's PeerConnections with Janus are
  // negotiated through these; Janus's API is never reachable by clients. Every request names the
  // meeting (the caller must be present in it) and, after the first, one of the caller's own
  // connections. 503 when no Janus server can take the meeting.

  /**
   * {@code {meetingId, kind: camera|screen, jsep: {type: offer, sdp}}} -> {@code {connection, feedId, jsep}}
   * (Janus's answer). One camera and one screen per person: publishing a kind again replaces the
   * earlier connection. 413 SDP over {@code media.maxSdpBytes}.
   */
  public static final String MEDIA_PUBLISH = "media.publish";
  /**
   * {@code {meetingId, feeds?: [feedId], restart?}} -> {@code {connection, jsep?, streams: [{mid, type, feedId, userId, kind}], feeds}}:
   * the caller's one subscriber connection, made or updated to receive exactly those feeds (all
   * others' when absent; a new one with {@code restart}); {@code jsep} is Janus's offer when the
   * media changed, {@code feeds} every published feed. 404 a feed that is not published in this
   * meeting (or is the caller's own); 409 while an offer awaits its answer.
   */
  public static final String MEDIA_SUBSCRIBE = "media.subscribe";
  /** {@code {meetingId, connection, jsep: {type: answer, sdp}}} -> {@code {}}: answers the subscriber offer. */
  public static final String MEDIA_ANSWER = "media.answer";
  /** {@code {meetingId, connection, candidate?: {candidate, sdpMid, sdpMLineIndex}, completed?}} -> {@code {}}; 403 not your connection. */
  public static final String MEDIA_TRICKLE = "media.trickle";
  /**
   * {@code {meetingId, connection, audio?, video?}} (a publisher: what it sends, shown to others)
   * or {@code {meetingId, connection, layers: [{feedId, substream: 0-2, temporal?}]}} (the subscriber:
   * which simulcast layer of each feed) -> {@code {}}.
   */
  public static final String MEDIA_CONFIGURE = "media.configure";
  /** {@code {meetingId, connection}} -> {@code {}}: stops one of the caller's publishers (a screen share). */
  public static final String MEDIA_UNPUBLISH = "media.unpublish";
  /** {@code {meetingId, firstFrameMs?, joinMs?}} -> {@code {}}: what the page measured (time to the first remote frame). */
  public static final String MEDIA_REPORT = "media.report";

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

  /**
   * Media events of a meeting on the SFU: {@code {type: feeds, feeds: [{feedId, userId, name, kind,
   * audio, video, audioModerated, videoModerated, simulcast}]}} (every published feed, after each
   * change), {@code {type: talking, userId, feedId, talking}}, {@code {type: closed, userId,
   * connection, reason}} (a connection of that user that Janus or Parley closed), {@code {type:
   * reset, reason}} (the room moved to another Janus: publish and subscribe again).
   */
  public static String meetingMedia(UUID id) {
    return meeting(id) + ".media";
  }

  /**
   * The whiteboard: {@code {kind: op, seq, senderId, senderName, op, ts}} for each stored operation
   * and {@code {kind: pointer, userId, name, x, y}} for live pointers.
   */
  public static String meetingWhiteboard(UUID id) {
    return meeting(id) + ".whiteboard";
  }

  /**
   * The shared notes: {@code {kind: update, seq, senderId, senderName, update, ts}} for each stored
   * update (as {@code GET .../notes?after=} lists it).
   */
  public static String meetingNotes(UUID id) {
    return meeting(id) + ".notes";
  }

  /** WebRTC signaling for one participant: {@code {from, fromName, kind, data}}. */
  public static String meetingSignal(UUID id, String participantId) {
    return meeting(id) + ".signal." + participantId;
  }

  /**
   * What one waiting person hears from the lobby: {@code {type: admitted|denied, by, ts}}. Only that
   * person may register, and only while they wait (or were just admitted or denied).
   */
  public static String meetingLobby(UUID id, String userId) {
    return meeting(id) + ".lobby." + userId;
  }

  /** The outbound addresses a bridge client may register for, as one regex. */
  public static final String OUTBOUND_REGEX =
    "meeting\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\\.chat|\\.captions|\\.media|\\.whiteboard|\\.notes|\\.(signal|lobby)\\.[A-Za-z0-9_-]{1,64})?";

  private static final Pattern OUTBOUND = Pattern.compile(
    "meeting\\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\\.(chat|captions|media|whiteboard|notes)|\\.(signal|lobby)\\.([A-Za-z0-9_-]{1,64}))?");

  /**
   * A parsed outbound address: its meeting, its kind ({@code events}, {@code chat}, {@code captions},
   * {@code signal} or {@code lobby}) and, for the last two, the one person it is for.
   */
  public record Outbound(UUID meetingId, String kind, String person) {
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
    String kind = m.group(3) != null ? m.group(3) : m.group(2) != null ? m.group(2) : "events";
    return new Outbound(UUID.fromString(m.group(1)), kind, m.group(4));
  }

  // --- Internal (never bridged) ---

  /** {@code {title, scheduledAt?, lobby?, locked?}} -> the meeting; the caller is host. */
  public static final String MEETING_CREATE = "parley.meeting.create";
  /**
   * {@code {meetingId, title?, lobby?, locked?}} -> the meeting; host or co-host. Everyone gets
   * {@code {type: settings, title, lobby, locked, by}}; switching the lobby off admits whoever waits.
   */
  public static final String MEETING_UPDATE = "parley.meeting.update";
  /** {@code {meetingId}} -> {@code {waiting: [{userId, name, requestedAt}]}}; host or co-host. */
  public static final String MEETING_LOBBY = "parley.meeting.lobby";
  /**
   * {@code {meetingId, userId}} -> {@code {userId, name, status: admitted}}; host or co-host; 404 for
   * someone who neither waits nor was turned away. They hear {@code admitted} on their lobby address.
   */
  public static final String MEETING_ADMIT = "parley.meeting.admit";
  /** {@code {meetingId, userId}} -> {@code {userId, name, status: denied}}; host or co-host; 409 when not waiting. */
  public static final String MEETING_DENY = "parley.meeting.deny";
  /**
   * {@code {meetingId, userId}} -> {@code {userId, name, status: removed}}; host or co-host (only the
   * host removes a co-host; nobody removes the host). Everyone gets {@code {type: removed, userId, by}},
   * then the person's sockets are revoked; their joins answer 403 until a host admits them again.
   */
  public static final String MEETING_REMOVE = "parley.meeting.remove";
  /**
   * {@code {meetingId, userId, audio, video}} (true mutes that kind) -> {@code {userId, audio, video}};
   * host or co-host; 404 when the person is not present. Publishes {@code {type: mute, userId, audio,
   * video, by}} on {@code meeting.{id}} and sends {@link #MEDIA_MUTE}.
   */
  public static final String MEETING_MUTE = "parley.meeting.mute";
  /** {@code {meetingId, audio, video}} -> {@code {muted: [userId...]}}: everyone present but hosts and co-hosts. */
  public static final String MEETING_MUTE_ALL = "parley.meeting.muteAll";
  /**
   * {@code {meetingId, userId, role: cohost|participant}} -> {@code {userId, name, role}}; host only;
   * 409 for the host. Everyone gets {@code {type: role, userId, role, by}}.
   */
  public static final String MEETING_ROLE = "parley.meeting.role";
  /** {@code {meetingId, after?, limit?}} -> {@code {items, next}}: the audit log; host, co-host or tenant admin. */
  public static final String MEETING_AUDIT = "parley.meeting.audit";
  /**
   * {@code {meetingId, action, targetId?, targetName?, details?}} -> {@code {}}: appends to the
   * meeting's audit log for the caller (for services other than the meeting's: recording start and
   * stop); the caller must have joined the meeting.
   */
  public static final String AUDIT_APPEND = "parley.audit.append";
  /**
   * A host muted someone: {@code {tenant, meetingId, userId, audio, video}} (true: mute that kind);
   * SENT, no reply. The media service enforces it in the SFU; with no consumer (a mesh meeting)
   * the page's own obedience to the {@code mute} event is all there is.
   */
  public static final String MEDIA_MUTE = "parley.media.mute";
  /**
   * Something a tenant's webhooks may want: {@code {tenant, event, data}} with {@code event} one of
   * meeting.started, meeting.ended, participant.joined, participant.left, recording.ready,
   * transcript.ready; SENT, no reply. The webhook service queues a delivery per matching webhook.
   */
  public static final String WEBHOOK_EVENT = "parley.webhook.event";
  /** {@code {url, events, description?}} -> the webhook with its {@code secret} (this once); admins only. */
  public static final String WEBHOOK_CREATE = "parley.webhook.create";
  /** {@code {}} -> {@code {items}}: the tenant's webhooks, without secrets; admins only. */
  public static final String WEBHOOK_LIST = "parley.webhook.list";
  /** {@code {webhookId}} -> {@code {id, deleted}}; admins only; 404 for unknown and other tenants' ids. */
  public static final String WEBHOOK_DELETE = "parley.webhook.delete";
  /** {@code {webhookId}} -> {@code {deliveryId, status: pending}} (202): a {@code ping} delivery; admins only. */
  public static final String WEBHOOK_TEST = "parley.webhook.test";
  /** {@code {webhookId?, limit?, cursor?}} -> {@code {items, nextCursor}}: the delivery log, newest first; admins only. */
  public static final String WEBHOOK_DELIVERIES = "parley.webhook.deliveries";
  public static final String MEETING_LIST = "parley.meeting.list";
  public static final String MEETING_GET = "parley.meeting.get";
  public static final String MEETING_JOIN = "parley.meeting.join";
  public static final String MEETING_LEAVE = "parley.meeting.leave";
  public static final String MEETING_END = "parley.meeting.end";
  public static final String MEETING_PARTICIPANTS = "parley.meeting.participants";
  /** {@code {meetingId}} -> {@code {member, present, role, status, admission}}; 404 for unknown/other tenant. */
  public static final String MEETING_MEMBERSHIP = "parley.meeting.membership";
  /** A bridge socket of the caller closed: {@code {meetingId}}; no reply. */
  public static final String PRESENCE_DISCONNECTED = "parley.presence.disconnected";
  /** A bridge socket of the caller registered for a meeting: {@code {meetingId}}; no reply. */
  public static final String PRESENCE_CONNECTED = "parley.presence.connected";
  public static final String CHAT_HISTORY = "parley.chat.history";
  public static final String TENANT_GET = "parley.tenant.get";
  public static final String TENANT_PUT = "parley.tenant.put";
  /** {@code {meetingId, lang?}} -> {@code {meetingId, segments:[...]}}; members only; 400 for a language not supported. */
  public static final String TRANSCRIPT_GET = "parley.transcript.get";
  /**
   * {@code {}} -> {@code {captionProvider, translationProvider, translationAvailable, languages:[{code, name,
   * captions, translation:[{from, route, provider}]}]}}: what this server captions and translates into.
   */
  public static final String LANGUAGES_GET = "parley.languages.get";
  /** {@code {from?, to?}} -> meeting minutes, AI units and cost per service; admins only. */
  public static final String USAGE_GET = "parley.usage.get";
  /**
   * A recognised segment from an audio stream: {@code {meetingId, segmentId, final, speakerId,
   * speakerName, tenant, lang, text, punctuated?, words?, startMs, endMs, audioReceivedAtMs}}; no
   * reply. {@code words} are {@code [[word, startMs, endMs], ...]}; {@code punctuated} is true when
   * the recogniser gives sentence case and punctuation itself. The AI bridge makes finals readable
   * (unless punctuated), checks them, translates them and publishes on {@code meeting.{id}.captions}.
   */
  public static final String AI_CAPTION = "parley.ai.caption";
  /** {@code {}} -> the caller's tenant's AI budget this month, its level, action and changes; admins only. */
  public static final String BUDGET_GET = "parley.budget.get";
  /**
   * A tenant's AI budget changed level, PUBLISHED so that every node applies it at once:
   * {@code {tenant, level: ok|warning|exhausted, action: soft|hard, ratio, spentUsd, budgetUsd, month}}.
   */
  public static final String AI_BUDGET = "parley.ai.budget";
  /** Metered AI work: {@code {tenant, meetingId, service, provider, units, unit}}; no reply. */
  public static final String AI_USAGE = "parley.ai.usage";

  /** {@code {meetingId, contentType, name?}} -> the new recording, {@code status: uploading}; present participants only. */
  public static final String RECORDING_START = "parley.recording.start";
  /** {@code {recordingId}} -> the recording, now complete and listed; its maker or the host. */
  public static final String RECORDING_COMPLETE = "parley.recording.complete";
  /**
   * {@code {meetingId, format?: mp4|webm|audio}} -> {@code {recordingId, status: recording, ...}}: the
   * server records the meeting through the SFU; host or co-host; 409 on the mesh or when it is being
   * recorded already, 503 when janus-pp-rec or ffmpeg is missing. Publishes {@code {type: recording,
   * status, recordingId}} on {@code meeting.{id}}.
   */
  public static final String SERVER_RECORDING_START = "parley.recording.server.start";
  /** {@code {recordingId}} -> the recording, now {@code processing}; host or co-host; 409 when it is not recording. */
  public static final String SERVER_RECORDING_STOP = "parley.recording.server.stop";
  /** {@code {recordingId}} -> the recording, {@code processing} again; host or co-host; 409 unless it failed. */
  public static final String SERVER_RECORDING_RETRY = "parley.recording.server.retry";
  /**
   * A server recording is waiting to be processed: {@code {recordingId}}, PUBLISHED, no reply;
   * every node's recording worker looks for a job at once (rather than at its next poll).
   */
  public static final String SERVER_RECORDING_JOBS = "parley.recording.server.jobs";
  /**
   * {@code {tenant, meetingId, recordingId, dir, on}} -> {@code {feeds}}: the media instance driving
   * the meeting's room has Janus record every publisher into {@code dir} (and everyone who
   * publishes later), or stop ({@code on: false}; {@code dir} then names the stopped recording's
   * folder, so that a room being opened at that moment does not record into it). Opens the room
   * when nobody published yet.
   */
  public static final String MEDIA_RECORD = "parley.media.record";
  /** {@code {meetingId, kind: recording|file|transcript|polls|whiteboard|notes, limit?}} -> {@code {items:[...]}}; participants only. */
  public static final String OBJECTS_LIST = "parley.objects.list";
  /**
   * A meeting ended: {@code {tenant, meetingId}}; no reply. The collaboration service writes the
   * transcript to the blob store and completes recordings still being uploaded.
   */
  public static final String MEETING_ENDED = "parley.meeting.ended";
  /** {@code {meetingId, after?, limit?}} -> {@code {ops, lastSeq, more}}: the whiteboard's operations in seq order; members. */
  public static final String WHITEBOARD_HISTORY = "parley.whiteboard.history";
  /** {@code {meetingId, after?, limit?}} -> {@code {updates, lastSeq, more}}: the shared notes' updates in seq order; members. */
  public static final String NOTES_HISTORY = "parley.notes.history";
  /** {@code {meetingId}} -> {@code {seq, state, text}}: the shared notes as a whole (Automerge, base64) as of seq; members. */
  public static final String NOTES_STATE = "parley.notes.state";
  /** {@code {meetingId, question, options, anonymous?, multiple?}} -> the poll (open); host or co-host. */
  public static final String POLL_CREATE = "parley.poll.create";
  /** {@code {meetingId, pollId}} -> the poll, closed, with its final counts; host or co-host. */
  public static final String POLL_CLOSE = "parley.poll.close";
  /** {@code {meetingId, pollId}} -> the poll with {@code voters}, {@code counts}, {@code mine} (and {@code votes} for hosts of a named poll); members. */
  public static final String POLL_GET = "parley.poll.get";
  /** {@code {meetingId}} -> {@code {items}}: the meeting's polls with their counts, oldest first; members. */
  public static final String POLL_LIST = "parley.poll.list";
  /**
   * {@code {meetingId, rooms: [{name, participants: [userId]}] | count + assign: "auto", durationMinutes?}}
   * -> {@code {meetingId, rooms, main}} (as {@link #BREAKOUTS_LIST}); host or co-host. The people sent
   * to a room leave the main meeting ({@code breakouts} {@code opened} on {@code meeting.{id}}, then
   * their bridge access to it is revoked with reason {@code moved}); their pages join the room.
   */
  public static final String BREAKOUTS_OPEN = "parley.breakouts.open";
  /** {@code {meetingId}} -> {@code {meetingId, rooms: [{id, name, status, endsAt, closesAt, assigned, present}], main}}; members. */
  public static final String BREAKOUTS_LIST = "parley.breakouts.list";
  /** {@code {meetingId, text}} -> {@code {rooms}}: {@code breakouts} {@code broadcast} in the main meeting and every open room; host or co-host. */
  public static final String BREAKOUTS_BROADCAST = "parley.breakouts.broadcast";
  /**
   * {@code {meetingId}} -> {@code {closesAt, rooms}}: every open room closes after {@code breakouts.countdownSeconds}
   * ({@code breakouts} {@code closing} in each); then the rooms end ({@code closed}) and their people go back; host or co-host.
   */
  public static final String BREAKOUTS_CLOSE = "parley.breakouts.close";
  /** {@code {}} -> what the pass did; admins only; 409 while another node runs one. */
  public static final String LIFECYCLE_RUN = "parley.lifecycle.run";

  /**
   * Revokes one person's bridge access to one meeting: {@code {tenant, meetingId, userId, reason:
   * left|removed|ended|moved}}, PUBLISHED (no reply), so that every gateway instance on every node
   * gets it. Each drops that user's sockets' registrations for every {@code meeting.{id}*} address
   * (the fan-out audiences and the bridge's own consumers) and forgets its membership cache entry
   * for the meeting: nothing more reaches those sockets, and registering or sending again is checked
   * afresh (403 unless they are back in the meeting). The socket itself stays open. Sent by leave,
   * remove and end (one message per participant); media consumes it too and kicks the user's Janus
   * handles (for {@code ended}, the whole room goes); breakouts may as well.
   */
  public static final String BRIDGE_REVOKE = "parley.bridge.revoke";
  /**
   * {@code {meetingId, lang?}} -> the recap {@code {meetingId, status: ready|pending, keyPoints, decisions,
   * actionItems, keywords, provider, lang, generatedAt}}; members only; 409 while the meeting is live.
   */
  public static final String RECAP_GET = "parley.recap.get";
  /**
   * {@code {q, limit?, cursor?}} -> {@code {query, items:[{kind, meetingId, meetingTitle, speakerId, speakerName, at,
   * offsetSeconds, snippet, rank, recording?, link}], nextCursor}}; the caller's meetings (an admin's: the tenant's);
   * 413 when {@code q} is over {@code search.maxQueryLength}.
   */
  public static final String SEARCH = "parley.search";


  /**
   * The media instance that drives a meeting's room ({@code parley.media.owner.<instance>}):
   * requests other instances forward to it, {@code {op, meetingId, ...}} with the caller's identity.
   */
  public static String mediaOwner(String instance) {
    return "parley.media.owner." + instance;
  }
}
