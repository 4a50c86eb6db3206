package handlers.gateway;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a failed schema validation into one message in the API's own words, naming the field
 * ({@code retention.hotDays must be a whole number}, {@code languages[0] must match ...},
 * {@code unknown field 'colour'}). The bound in the message is read from the document itself, by
 * following the failing keyword's location (through {@code $ref}s) from the body's schema.
 */
final class ValidationMessage {

  /** Keywords that only say a sub-schema failed; the failure itself is reported by another entry. */
  private static final Set<String> WRAPPERS = Set.of("properties", "patternProperties", "additionalProperties", "items",
    "prefixItems", "$ref", "$dynamicRef", "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "contains",
    "dependentSchemas", "unevaluatedProperties", "unevaluatedItems");
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

  private ValidationMessage() {
  }

  /**
   * The message for {@code result}'s first failure, or null when a failure is of one of the
   * {@code leftToServices} keywords (then the service decides, as if nothing had been checked).
   */
  static String of(OutputUnit result, JsonObject document, JsonObject bodySchema, Set<String> leftToServices) {
    List<OutputUnit> errors = result.getErrors() == null ? List.of() : result.getErrors();
    if (errors.stream().anyMatch(e -> leftToServices.contains(keyword(e)))) {
      return null;
    }
    OutputUnit first = errors.stream().filter(e -> !WRAPPERS.contains(keyword(e))).findFirst()
      .orElse(errors.stream().filter(e -> "additionalProperties".equals(keyword(e))).findFirst().orElse(null));
    if (first == null) {
      return null;
    }
    String keyword = keyword(first);
    String field = field(first.getInstanceLocation());
    Object value = walk(document, bodySchema, first.getKeywordLocation());
    return switch (keyword) {
      case "required" -> {
        Matcher name = QUOTED.matcher(first.getError() == null ? "" : first.getError());
        yield (name.find() ? join(first.getInstanceLocation(), name.group(1)) : field) + " is required";
      }
      case "additionalProperties" -> {
        String location = first.getInstanceLocation();
        String parent = field(location.substring(0, Math.max(0, location.lastIndexOf('/'))));
        yield "unknown field '" + location.substring(location.lastIndexOf('/') + 1) + "'"
          + (parent.equals("the body") ? "" : " in " + parent);
      }
      case "type" -> field + " must be " + types(value);
      case "enum" -> field + " must be one of " + (value instanceof JsonArray list
        ? list.stream().map(Json::encode).collect(Collectors.joining(", ")) : "the values listed in the contract");
      case "const" -> field + " must be " + Json.encode(value);
      case "minimum" -> field + " must be at least " + value;
      case "maximum" -> field + " must be at most " + value;
      case "exclusiveMinimum" -> field + " must be more than " + value;
      case "exclusiveMaximum" -> field + " must be less than " + value;
      case "minItems" -> field + " must have at least " + value + " item" + ("1".equals(String.valueOf(value)) ? "" : "s");
      case "maxItems" -> field + " must have at most " + value + " items";
      case "minLength" -> field + " must have at least " + value + " characters";
      case "pattern" -> field + " must match the pattern " + value;
      default -> field + ": " + first.getError();
    };
  }

  private static String keyword(OutputUnit unit) {
    String location = unit.getKeywordLocation() == null ? "" : unit.getKeywordLocation();
    return location.substring(location.lastIndexOf('/') + 1);
  }

  /** {@code #/retention/hotDays} -> {@code retention.hotDays}; {@code #/languages/0} -> {@code languages[0]}. */
  static String field(String instanceLocation) {
    StringBuilder sb = new StringBuilder();
    for (String segment : segments(instanceLocation)) {
      if (segment.matches("\\d+")) {
        sb.append('[').append(segment).append(']');
      } else {
        sb.append(sb.length() == 0 ? "" : ".").append(segment);
      }
    }
    return sb.length() == 0 ? "the body" : sb.toString();
  }

  private static String join(String instanceLocation, String name) {
    String parent = field(instanceLocation);
    return parent.equals("the body") ? name : parent + "." + name;
  }

  private static String types(Object type) {
    List<Object> names = type instanceof JsonArray list ? list.getList() : List.of(String.valueOf(type));
    return names.stream().filter(t -> !"null".equals(t)).map(t -> switch (String.valueOf(t)) {
      case "string" -> "a string";
      case "integer" -> "a whole number";
      case "number" -> "a number";
      case "boolean" -> "true or false";
      case "object" -> "an object";
      case "array" -> "a list";
      default -> String.valueOf(t);
    }).collect(Collectors.joining(" or "));
  }

  /** The value at a keyword location relative to {@code schema}, following {@code $ref}s into {@code document}. */
  static Object walk(JsonObject document, JsonObject schema, String keywordLocation) {
    Object node = schema;
    for (String segment : segments(keywordLocation)) {
      while (node instanceof JsonObject o && !o.containsKey(segment) && o.getValue("$ref") instanceof String ref) {
        node = pointer(document, ref);
      }
      if (segment.equals("$ref") && node instanceof JsonObject o && o.getValue("$ref") instanceof String ref) {
        node = pointer(document, ref);
      } else if (node instanceof JsonObject o) {
        node = o.getValue(segment);
      } else if (node instanceof JsonArray a && segment.matches("\\d+") && Integer.parseInt(segment) < a.size()) {
        node = a.getValue(Integer.parseInt(segment));
      } else {
        return null;
      }
    }
    return node;
  }

  /** A local reference ({@code #/components/schemas/Days}) in {@code document}. */
  private static Object pointer(JsonObject document, String ref) {
    if (!ref.startsWith("#")) {
      return null;
    }
    Object node = document;
    for (String segment : segments(ref)) {
      node = node instanceof JsonObject o ? o.getValue(segment) : null;
    }
    return node;
  }

  /** The unescaped segments of a JSON pointer, with or without a leading {@code #}. */
  private static List<String> segments(String pointer) {
    String p = pointer == null ? "" : pointer.startsWith("#") ? pointer.substring(1) : pointer;
    return java.util.Arrays.stream(p.split("/")).filter(s -> !s.isEmpty())
      .map(s -> s.replace("~1", "/").replace("~0", "~")).toList();
  }
}
