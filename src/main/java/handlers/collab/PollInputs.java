package handlers.collab;

import common.ParleyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The parsing rules of the poll requests, and the {@code collab.polls} limits. */
final class PollInputs {

  /** The {@code collab.polls} settings. */
  record Limits(int maxOptions, int maxQuestionLength, int maxOptionLength) {
  }

  private PollInputs() {
  }

  /** 2 to {@code maxOptions} distinct, non-blank options, each at most {@code maxOptionLength} characters. */
  static List<String> options(JsonObject body, Limits limits) {
    if (!(body.getValue("options") instanceof JsonArray raw)) {
      throw ParleyException.badRequest("options must be an array of strings");
    }
    if (raw.size() < 2) {
      throw ParleyException.badRequest("a poll needs at least 2 options");
    }
    if (raw.size() > limits.maxOptions()) {
      throw ParleyException.badRequest("a poll has at most " + limits.maxOptions() + " options");
    }
    List<String> options = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Object o : raw) {
      if (!(o instanceof String s) || s.isBlank()) {
        throw ParleyException.badRequest("each option must be a non-empty string");
      }
      if (s.length() > limits.maxOptionLength()) {
        throw ParleyException.tooLarge("an option is longer than " + limits.maxOptionLength() + " characters");
      }
      String option = s.strip();
      if (!seen.add(option)) {
        throw ParleyException.badRequest("options must differ: '" + option + "' is there twice");
      }
      options.add(option);
    }
    return options;
  }

  /** A vote's option indexes: at least one, distinct, each an option of the poll; one only unless {@code multiple}. */
  static int[] choices(JsonObject body, int optionCount, boolean multiple) {
    if (!(body.getValue("choices") instanceof JsonArray raw) || raw.isEmpty()) {
      throw ParleyException.badRequest("choices must be a non-empty array of option indexes");
    }
    if (raw.size() > optionCount) {
      throw ParleyException.badRequest("more choices than the poll has options");
    }
    if (!multiple && raw.size() > 1) {
      throw ParleyException.badRequest("this poll takes one choice");
    }
    int[] out = new int[raw.size()];
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < raw.size(); i++) {
      if (!(raw.getValue(i) instanceof Integer n) || n < 0 || n >= optionCount) {
        throw ParleyException.badRequest("each choice must be an option index from 0 to " + (optionCount - 1));
      }
      if (!seen.add(n)) {
        throw ParleyException.badRequest("choices must differ");
      }
      out[i] = n;
    }
    return out;
  }
}
