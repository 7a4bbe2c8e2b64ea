package dev.livestate.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The resolved value of every known setting: defaults, then the config file ({@code --config
 * FILE}, JSON, keys as in {@code --help}, nested objects allowed), then the environment, then
 * the command line. Immutable; unknown keys and bad values are errors at start.
 */
public final class Settings {
  public static final Setting<String> CONFIG =
      Setting.string("config", "", "JSON config file to read before the environment and flags");

  /** A password given inside a URL's parameters: {@code password=...} up to {@code &} or {@code ;}. */
  private static final Pattern EMBEDDED_PASSWORD =
      Pattern.compile("(?i)(password=)[^&;]*");

  private final List<Setting<?>> known;
  private final Map<String, String> values;
  /** Keys some source gave a value for, rather than left at their default. */
  private final Set<String> given;
  /** Each value parsed once, at start: a bad one stops the start, and reads cost nothing. */
  private final Map<String, Object> parsed;

  private Settings(List<Setting<?>> known, Map<String, String> values, Set<String> given) {
    this.known = List.copyOf(known);
    this.values = Map.copyOf(values);
    this.given = Set.copyOf(given);
    Map<String, Object> p = new LinkedHashMap<>();
    known.forEach(s -> p.put(s.key(), s.parse(values.get(s.key()))));
    this.parsed = p;
  }

  /** Defaults only, with the given overrides by key: for tests and embedding. */
  public static Settings of(List<Setting<?>> known, Map<String, String> overrides) {
    Map<String, String> v = defaults(known);
    overrides.forEach((k, val) -> {
      requireKnown(known, k);
      v.put(k, val);
    });
    return new Settings(known, v, overrides.keySet());
  }

  public static Settings load(List<Setting<?>> known, String[] args, Map<String, String> env) {
    List<Setting<?>> all = new ArrayList<>(known);
    all.add(CONFIG);
    Map<String, String> flags = parseFlags(all, args);
    Map<String, String> v = defaults(all);
    Set<String> given = new HashSet<>();
    String file = flags.getOrDefault(CONFIG.key(), env.getOrDefault(CONFIG.env(), ""));
    if (!file.isEmpty()) {
      Map<String, String> fromFile = readFile(all, Path.of(file));
      v.putAll(fromFile);
      given.addAll(fromFile.keySet());
    }
    for (Setting<?> s : all) {
      String e = env.get(s.env());
      if (e != null) {
        v.put(s.key(), e);
        given.add(s.key());
      }
    }
    v.putAll(flags);
    given.addAll(flags.keySet());
    return new Settings(all, v, given);
  }

  private static Map<String, String> defaults(List<Setting<?>> known) {
    Map<String, String> v = new LinkedHashMap<>();
    known.forEach(s -> v.put(s.key(), s.defaultText()));
    return v;
  }

  private static Map<String, String> parseFlags(List<Setting<?>> known, String[] args) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + a + "' (see --help)");
      }
      String name = a;
      String value;
      int eq = a.indexOf('=');
      if (eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException(a + " needs a value");
      }
      String flag = name;
      Setting<?> s = known.stream()
          .filter(k -> k.flag().equals(flag) || ("--" + k.key()).equals(flag)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown option " + flag + " (see --help)"));
      flags.put(s.key(), value);
    }
    return flags;
  }

  private static Map<String, String> readFile(List<Setting<?>> known, Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("config file " + file + " must hold a JSON object");
    }
    Map<String, String> v = new LinkedHashMap<>();
    flatten("", root, v);
    v.keySet().forEach(k -> requireKnown(known, k));
    return v;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (e.getValue().isObject()) {
        flatten(key, e.getValue(), into);
      } else {
        into.put(key, e.getValue().isTextual() ? e.getValue().textValue() : e.getValue().toString());
      }
    }
  }

  private static void requireKnown(List<Setting<?>> known, String key) {
    if (known.stream().noneMatch(s -> s.key().equals(key))) {
      throw new IllegalArgumentException("unknown setting '" + key + "' (see --help)");
    }
  }

  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    if (!parsed.containsKey(setting.key())) {
      throw new IllegalArgumentException("setting " + setting.key() + " is not registered");
    }
    return (T) parsed.get(setting.key());
  }

  /**
   * Whether {@code setting} was given by a config file, the environment or a flag, rather than
   * left at its default: for a setting that stands in for another unless that one is given.
   */
  public boolean given(Setting<?> setting) {
    get(setting);
    return given.contains(setting.key());
  }

  /** The {@code --help} text: every setting with its flag, variable, default and meaning. */
  public static String help(List<Setting<?>> known) {
    StringBuilder b = new StringBuilder();
    b.append("Usage: livestate [--option value]...\n\n");
    b.append("Each option can also be set in the environment or a JSON config file (--config).\n\n");
    List<Setting<?>> all = new ArrayList<>(known);
    all.add(CONFIG);
    for (Setting<?> s : all) {
      b.append(String.format("  %-34s %s%n", s.flag() + " <value>", s.description()));
      b.append(String.format("  %-34s env %s, default '%s'%n%n", "", s.env(), s.defaultText()));
    }
    return b.toString();
  }

  /** The configuration reference in Markdown (docs/configuration.md is this text). */
  public static String reference(List<Setting<?>> known) {
    StringBuilder b = new StringBuilder();
    b.append("# Configuration reference\n\n");
    b.append("Generated by `./livestate --print-config-reference`; a test keeps it in step with the code.\n\n");
    b.append("Every setting can be given, later sources winning, as a key in a JSON config file\n");
    b.append("(`--config FILE`; nested objects are joined with dots), an environment variable, or a flag.\n");
    b.append("Durations take a unit (`500ms`, `30s`, `5m`, `2h`, `7d`); sizes take `k`, `m` or `g`.\n\n");
    b.append("| key | flag | environment | default | meaning |\n|---|---|---|---|---|\n");
    List<Setting<?>> all = new ArrayList<>(known);
    all.add(CONFIG);
    for (Setting<?> s : all) {
      b.append("| `").append(s.key()).append("` | `").append(s.flag()).append("` | `")
          .append(s.env()).append("` | `").append(s.defaultText().replace("|", "\\|"))
          .append("` | ").append(s.description().replace("|", "\\|")).append(" |\n");
    }
    return b.toString();
  }

  /**
   * The effective configuration as key = value lines. A secret setting shows only whether it is
   * set, and a password inside another value (a JDBC URL's {@code password=...}) is hidden.
   */
  public String describe() {
    StringBuilder b = new StringBuilder();
    known.forEach(s -> {
      String v = values.get(s.key());
      b.append(s.key()).append(" = ")
          .append(s.secret() && !v.isEmpty() ? "(set, not shown)" : EMBEDDED_PASSWORD.matcher(v)
              .replaceAll("$1(not shown)"))
          .append('\n');
    });
    return b.toString();
  }
}
