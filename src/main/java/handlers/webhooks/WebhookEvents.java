package handlers.webhooks;

import java.util.List;

/** The events a webhook may ask for, and the one the test button sends. */
final class WebhookEvents {

  private WebhookEvents() {
  }

  static final List<String> ALL = List.of("meeting.started", "meeting.ended", "participant.joined", "participant.left",
    "recording.ready", "transcript.ready");

  static final String PING = "ping";
}
