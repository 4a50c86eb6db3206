package telemetry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Static checks of the Grafana dashboards in {@code grafana/dashboards}: titles, panel shape,
 * datasource, and that every query reads only the metric names of the observability contract
 * (ARCHITECTURE.md section 6, listed in {@code observability/allowed-metrics.txt}).
 *
 * <p>{@link #allQueries(Path)} is public so that an integration test can run every dashboard query
 * against a real Prometheus scraping a real server.
 */
@DisplayName("Grafana dashboards")
public class DashboardQueriesTest {

  /** One dashboard query, with Grafana's variables replaced so that Prometheus accepts it as is. */
  public record PanelQuery(String dashboard, String panel, String refId, String expr, boolean instant) {}

  static final Path GRAFANA_DIR = Path.of(System.getProperty("parley.grafanaDir", "grafana"));
  static final Set<String> EXPECTED_TITLES = Set.of("System Health", "AI Usage Costs", "Tenant Usage");

  /** Metrics that carry a {@code tenant} label; on a dashboard with a tenant variable they are filtered by it. */
  static final Set<String> TENANT_METRICS = Set.of(
      "parley_chat_messages_total", "parley_ai_audio_seconds_total", "parley_ai_translated_characters_total",
      "parley_ai_cost_usd_total", "parley_tenant_meeting_minutes_total", "parley_storage_bytes",
      "parley_storage_objects", "parley_ai_budget_usd", "parley_tenant_participants",
      "parley_tenant_meetings_active");

  private static final Set<String> AGGREGATIONS = Set.of(
      "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
      "quantile");
  private static final Set<String> KEYWORDS = Set.of(
      "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or", "unless",
      "atan2", "inf", "nan");
  private static final Set<String> FUNCTIONS = Set.of(
      "abs", "absent", "absent_over_time", "ceil", "changes", "clamp", "clamp_max", "clamp_min",
      "day_of_month", "day_of_week", "day_of_year", "days_in_month", "delta", "deriv", "exp", "floor",
      "histogram_count", "histogram_sum", "histogram_fraction", "histogram_quantile", "holt_winters", "hour",
      "idelta", "increase", "irate", "label_join", "label_replace", "ln", "log2", "log10", "minute", "month",
      "predict_linear", "rate", "resets", "round", "scalar", "sgn", "sort", "sort_desc", "sqrt", "time",
      "timestamp", "vector", "year", "avg_over_time", "min_over_time", "max_over_time", "sum_over_time",
      "count_over_time", "quantile_over_time", "stddev_over_time", "stdvar_over_time", "last_over_time",
      "present_over_time", "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh",
      "tan", "tanh", "deg", "rad", "pi",
      // Grafana templating functions of the Prometheus datasource
      "label_values", "label_names", "metrics", "query_result");

  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern LABEL_VALUES = Pattern.compile("\\blabel_values\\s*\\(([^,()]*),\\s*\\w+\\s*\\)");
  private static final Pattern TOKEN = Pattern.compile("(?<![\\w.:])\\d[\\w.]*|([A-Za-z_:][\\w:]*)");
  private static final Pattern RANGE = Pattern.compile("\\[([^\\]]*)\\]");

  // ---------------------------------------------------------------- helpers (public API)

  /**
   * Every query of every dashboard in {@code grafanaDir/dashboards}, in file and panel order, with
   * {@code $__rate_interval} and {@code $__interval} replaced by {@code 1m}, {@code $__range} by
   * {@code 1h}, and template variables (such as {@code $tenant}, {@code $instance}) by {@code .*}
   * (they only appear inside {@code =~} matchers).
   */
  public static List<PanelQuery> allQueries(Path grafanaDir) throws IOException {
    List<PanelQuery> queries = new ArrayList<>();
    for (Path file : dashboardFiles(grafanaDir)) {
      JsonObject dashboard = readJson(file);
      for (JsonObject panel : panels(dashboard)) {
        for (JsonObject target : targets(panel)) {
          String expr = target.getString("expr", "");
          if (!expr.isBlank()) {
            queries.add(new PanelQuery(dashboard.getString("title"), panel.getString("title"),
                target.getString("refId"), concrete(expr), target.getBoolean("instant", false)));
          }
        }
      }
    }
    return queries;
  }

  /** The expression with Grafana's built-in and template variables replaced by fixed values. */
  public static String concrete(String expr) {
    return expr
        .replace("${__rate_interval}", "1m").replace("$__rate_interval", "1m")
        .replace("${__interval_ms}", "60000").replace("$__interval_ms", "60000")
        .replace("${__interval}", "1m").replace("$__interval", "1m")
        .replace("${__range_s}", "3600").replace("$__range_s", "3600")
        .replace("${__range_ms}", "3600000").replace("$__range_ms", "3600000")
        .replace("${__range}", "1h").replace("$__range", "1h")
        .replaceAll("\\$\\{\\w+(:\\w+)?\\}|\\$\\w+", ".*");
  }

  /**
   * The metric names an expression reads: identifiers that are not PromQL functions, aggregations
   * or keywords, outside strings, label matchers, ranges and grouping clauses. An unknown function
   * comes back as {@code name()} so that it fails any allow-list.
   */
  public static Set<String> metricNames(String expr) {
    String s = expr
        .replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"")
        .replaceAll("'(?:\\\\.|[^'\\\\])*'", "''")
        .replaceAll("`[^`]*`", "``")
        .replaceAll("#[^\\n]*", " ")
        .replaceAll("\\{[^}]*\\}", "{}")
        .replaceAll("\\[[^\\]]*\\]", "[]");
    s = GROUPING.matcher(s).replaceAll("$1 ");
    s = LABEL_VALUES.matcher(s).replaceAll("label_values($1)");
    s = s.replaceAll("\\$\\{[^}]*\\}|\\$\\w+", " ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = TOKEN.matcher(s);
    while (m.find()) {
      String id = m.group(1);
      if (id == null) {
        continue; // a number or a duration
      }
      String lower = id.toLowerCase(Locale.ROOT);
      if (KEYWORDS.contains(lower) || AGGREGATIONS.contains(lower) || FUNCTIONS.contains(id)) {
        continue;
      }
      names.add(nextNonSpace(s, m.end()) == '(' ? id + "()" : id);
    }
    return names;
  }

  // ---------------------------------------------------------------- tests

  @Test
  @DisplayName("The three dashboards are System Health, AI Usage Costs and Tenant Usage, with distinct uids")
  void titles() throws IOException {
    List<JsonObject> boards = dashboards();
    assertEquals(EXPECTED_TITLES, boards.stream().map(b -> b.getString("title")).collect(Collectors.toSet()));
    assertEquals(boards.size(), boards.stream().map(b -> b.getString("uid")).distinct().count());
    boards.forEach(b -> assertTrue(b.getInteger("schemaVersion", 0) >= 36, b.getString("title") + " schemaVersion"));
  }

  @Test
  @DisplayName("Every panel has a title, a description and at least one query with a non-empty expression")
  void panelsHaveQueries() throws IOException {
    List<String> problems = new ArrayList<>();
    for (JsonObject board : dashboards()) {
      for (JsonObject panel : panels(board)) {
        String where = board.getString("title") + " / " + panel.getString("title");
        if (panel.getString("title", "").isBlank()) problems.add(where + ": no title");
        if (panel.getString("description", "").isBlank()) problems.add(where + ": no description");
        if (targets(panel).stream().noneMatch(t -> !t.getString("expr", "").isBlank())) {
          problems.add(where + ": no query with an expression");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  @DisplayName("Panel ids are unique within each dashboard, rows included")
  void uniquePanelIds() throws IOException {
    for (JsonObject board : dashboards()) {
      List<Integer> ids = allPanels(board.getJsonArray("panels")).map(p -> p.getInteger("id")).toList();
      assertFalse(ids.contains(null), board.getString("title") + " has a panel without an id");
      assertEquals(ids.size(), new HashSet<>(ids).size(), board.getString("title") + " has duplicate panel ids " + ids);
    }
  }

  @Test
  @DisplayName("Every panel, query and template variable uses the provisioned Prometheus datasource uid")
  void provisionedDatasource() throws IOException {
    String uid = provisionedUid();
    assertEquals("parley-prometheus", uid);
    List<String> problems = new ArrayList<>();
    for (JsonObject board : dashboards()) {
      for (JsonObject panel : panels(board)) {
        String where = board.getString("title") + " / " + panel.getString("title");
        if (!uid.equals(datasourceUid(panel.getValue("datasource")))) problems.add(where);
        for (JsonObject target : targets(panel)) {
          Object ds = target.getValue("datasource");
          if (ds != null && !uid.equals(datasourceUid(ds))) problems.add(where + " " + target.getString("refId"));
        }
      }
      for (JsonObject variable : variables(board)) {
        if ("query".equals(variable.getString("type")) && !uid.equals(datasourceUid(variable.getValue("datasource")))) {
          problems.add(board.getString("title") + " / variable " + variable.getString("name"));
        }
      }
    }
    assertEquals(List.of(), problems, "not using datasource " + uid);
  }

  @Test
  @DisplayName("Every metric a dashboard queries is one of the observability contract")
  void onlyContractMetrics() throws IOException {
    Set<String> allowed = allowedMetrics();
    List<String> problems = new ArrayList<>();
    Set<String> used = new TreeSet<>();
    for (JsonObject board : dashboards()) {
      List<String> exprs = new ArrayList<>();
      panels(board).forEach(p -> targets(p).forEach(t -> exprs.add(p.getString("title") + ": " + t.getString("expr", ""))));
      variables(board).forEach(v -> exprs.add("variable " + v.getString("name") + ": " + variableQuery(v)));
      for (String labelled : exprs) {
        String expr = labelled.substring(labelled.indexOf(": ") + 2);
        Set<String> names = metricNames(expr);
        if (names.isEmpty()) problems.add(board.getString("title") + " / " + labelled + " -> reads no metric");
        for (String name : names) {
          used.add(name);
          if (!allowed.contains(name)) problems.add(board.getString("title") + " / " + labelled + " -> " + name);
        }
      }
    }
    assertEquals(List.of(), problems);
    assertTrue(used.size() >= 30, "suspiciously few metrics found: " + used);
  }

  @Test
  @DisplayName("Range selectors use $__rate_interval, $__range or the 30-day budget window")
  void rangesUseGrafanaIntervals() throws IOException {
    Set<String> allowedRanges = Set.of("$__rate_interval", "$__range", "30d");
    List<String> problems = new ArrayList<>();
    for (JsonObject board : dashboards()) {
      for (JsonObject panel : panels(board)) {
        for (JsonObject target : targets(panel)) {
          Matcher m = RANGE.matcher(target.getString("expr", ""));
          while (m.find()) {
            if (!allowedRanges.contains(m.group(1).trim())) {
              problems.add(board.getString("title") + " / " + panel.getString("title") + ": [" + m.group(1) + "]");
            }
          }
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  @DisplayName("On a dashboard with a tenant variable, every tenant-labelled metric is filtered by it")
  void tenantFilter() throws IOException {
    List<String> problems = new ArrayList<>();
    for (JsonObject board : dashboards()) {
      if (variables(board).stream().noneMatch(v -> "tenant".equals(v.getString("name")))) {
        continue;
      }
      for (JsonObject panel : panels(board)) {
        for (JsonObject target : targets(panel)) {
          String expr = target.getString("expr", "");
          for (String metric : TENANT_METRICS) {
            Matcher m = Pattern.compile("\\b" + metric + "\\b(\\{[^}]*\\})?").matcher(expr);
            while (m.find()) {
              if (m.group(1) == null || !m.group(1).contains("tenant=~\"$tenant\"")) {
                problems.add(board.getString("title") + " / " + panel.getString("title") + ": " + metric);
              }
            }
          }
        }
      }
    }
    assertEquals(List.of(), problems);
    assertTrue(dashboards().stream().filter(b -> !"System Health".equals(b.getString("title")))
        .allMatch(b -> variables(b).stream().anyMatch(v -> "tenant".equals(v.getString("name")))),
        "AI Usage Costs and Tenant Usage have a tenant variable");
  }

  @Test
  @DisplayName("allQueries returns every dashboard query as concrete PromQL with no Grafana variable left")
  void allQueriesAreConcrete() throws IOException {
    List<PanelQuery> queries = allQueries(GRAFANA_DIR);
    assertTrue(queries.size() >= 40, "only " + queries.size() + " queries");
    assertEquals(EXPECTED_TITLES, queries.stream().map(PanelQuery::dashboard).collect(Collectors.toSet()));
    for (PanelQuery q : queries) {
      assertFalse(q.expr().contains("$"), q.dashboard() + " / " + q.panel() + ": " + q.expr());
    }
    assertEquals("sum(rate(x{tenant=~\".*\",instance=~\".*\"}[1m])) / increase(y[1h])",
        concrete("sum(rate(x{tenant=~\"$tenant\",instance=~\"${instance}\"}[$__rate_interval])) / increase(y[$__range])"));
  }

  @Test
  @DisplayName("The metric-name extractor skips functions, aggregations, keywords, labels, strings and numbers")
  void extractor() {
    assertEquals(Set.of("a_bucket"), metricNames(
        "histogram_quantile(0.95, sum by (le, route) (rate(a_bucket{code=~\"5..\",x=\"sum(y)\"}[$__rate_interval])))"));
    assertEquals(Set.of("a_total", "b_usd"), metricNames(
        "sum by (tenant) (increase(a_total[30d])) / on (tenant) group_left (svc) (max without (instance) (b_usd) > 0)"));
    assertEquals(Set.of("c"), metricNames("clamp_min(sum(c) * 1e-9 + 0.5, 1) or vector(0) and topk(10, c) offset 5m"));
    assertEquals(Set.of("d_total"), metricNames("label_values(d_total, tenant)"));
    assertEquals(Set.of("d_total"), metricNames("sum(rate(d_total[5m])) by (tenant)"));
    assertEquals(Set.of("nosuchfn()"), metricNames("nosuchfn(1)"));
  }

  // ---------------------------------------------------------------- plumbing

  static List<JsonObject> dashboards() throws IOException {
    List<JsonObject> boards = new ArrayList<>();
    for (Path file : dashboardFiles(GRAFANA_DIR)) {
      boards.add(readJson(file));
    }
    assertEquals(3, boards.size(), "dashboards in " + GRAFANA_DIR.resolve("dashboards").toAbsolutePath());
    return boards;
  }

  static List<Path> dashboardFiles(Path grafanaDir) throws IOException {
    try (Stream<Path> files = Files.list(grafanaDir.resolve("dashboards"))) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }

  static JsonObject readJson(Path file) {
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every panel of a dashboard that is not a row, including panels nested in collapsed rows. */
  static List<JsonObject> panels(JsonObject dashboard) {
    return allPanels(dashboard.getJsonArray("panels", new JsonArray()))
        .filter(p -> !"row".equals(p.getString("type"))).toList();
  }

  private static Stream<JsonObject> allPanels(JsonArray panels) {
    return panels.stream().map(JsonObject.class::cast)
        .flatMap(p -> Stream.concat(Stream.of(p), allPanels(p.getJsonArray("panels", new JsonArray()))));
  }

  static List<JsonObject> targets(JsonObject panel) {
    return panel.getJsonArray("targets", new JsonArray()).stream().map(JsonObject.class::cast).toList();
  }

  static List<JsonObject> variables(JsonObject dashboard) {
    JsonObject templating = dashboard.getJsonObject("templating", new JsonObject());
    return templating.getJsonArray("list", new JsonArray()).stream().map(JsonObject.class::cast).toList();
  }

  static String variableQuery(JsonObject variable) {
    Object query = variable.getValue("query");
    return query instanceof JsonObject q ? q.getString("query", "") : String.valueOf(query);
  }

  static String datasourceUid(Object datasource) {
    return datasource instanceof JsonObject ds ? ds.getString("uid") : null;
  }

  static String provisionedUid() throws IOException {
    String yaml = Files.readString(GRAFANA_DIR.resolve("provisioning/datasources/prometheus.yml"));
    Matcher m = Pattern.compile("(?m)^\\s*uid:\\s*['\"]?([\\w-]+)").matcher(yaml);
    assertTrue(m.find(), "no uid in the provisioned datasource");
    return m.group(1);
  }

  static Set<String> allowedMetrics() throws IOException {
    try (InputStream in = DashboardQueriesTest.class.getResourceAsStream("/observability/allowed-metrics.txt")) {
      assertTrue(in != null, "observability/allowed-metrics.txt on the test classpath");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
          .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toSet());
    }
  }

  private static char nextNonSpace(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      if (!Character.isWhitespace(s.charAt(i))) {
        return s.charAt(i);
      }
    }
    return 0;
  }
}
