package ai;

import java.util.List;

/**
 * How a translation from {@code from} to {@code to} is made: {@code path} starts with {@code from},
 * ends with {@code to}, and names the pivot languages in between ({@code [en, es, fr]}: English to
 * Spanish, then Spanish to French). Codes as {@link common.Languages#normalise} gives them.
 */
public record TranslationRoute(String from, String to, List<String> path) {

  public TranslationRoute {
    path = List.copyOf(path);
  }

  public static TranslationRoute direct(String from, String to) {
    return new TranslationRoute(from, to, List.of(from, to));
  }

  public static TranslationRoute via(String from, String pivot, String to) {
    return new TranslationRoute(from, to, List.of(from, pivot, to));
  }

  /** The pivot languages, empty for a direct translation. */
  public List<String> pivots() {
    return path.subList(1, path.size() - 1);
  }
}
