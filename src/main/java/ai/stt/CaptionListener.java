package ai.stt;

/** Results of a recognition stream, delivered in order on the context that opened it. */
public interface CaptionListener {

  void onPartial(Segment segment);

  void onFinal(Segment segment);

  /** The stream failed and is closed; no further callbacks follow. */
  void onError(Throwable error);

  /** After {@code end()}: the last final has been delivered. */
  void onEnd();
}
