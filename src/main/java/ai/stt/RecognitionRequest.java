package ai.stt;

/** One speaker's stream: an id for logs, the spoken language (BCP-47), and PCM's sample rate. */
public record RecognitionRequest(String streamId, String language, int sampleRateHz) {
}
