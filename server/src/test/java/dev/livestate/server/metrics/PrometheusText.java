package dev.livestate.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4), as a scraper reads it: every
 * line a comment, a HELP, a TYPE or a sample; a sample's family declared by a TYPE line before
 * it; label values escaped; histogram buckets cumulative, ending at {@code le="+Inf"} equal to
 * the {@code _count}. Any other line fails the test.
 */
final class PrometheusText {
  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final String VALUE = "(?:[+-]?(?:[0-9]*\\.?[0-9]+(?:[eE][+-]?[0-9]+)?|Inf)|NaN)";
  private static final Pattern TYPE =
      Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
  private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
  private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")"
      + "(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*\\})?"
      + " (" + VALUE + ")(?: -?[0-9]+)?");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** Each sample's value by its series: the name and its labels as written. */
  final Map<String, Double> samples = new LinkedHashMap<>();
  final Map<String, String> types = new HashMap<>();

  private PrometheusText() {}

  static PrometheusText parse(String text) {
    PrometheusText p = new PrometheusText();
    assertTrue(text.endsWith("\n"), "the exposition ends with a line feed");
    for (String line : text.split("\n")) {
      Matcher type = TYPE.matcher(line);
      if (type.matches()) {
        assertEquals(null, p.types.put(type.group(1), type.group(2)),
            "one TYPE per family: " + line);
        continue;
      }
      if (HELP.matcher(line).matches() || line.isEmpty()) {
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      assertTrue(sample.matches(), "not a Prometheus text line: " + line);
      String name = sample.group(1);
      assertTrue(p.types.containsKey(family(name, p.types)), "sample before its TYPE: " + line);
      String series = name + (sample.group(2) == null ? "" : sample.group(2));
      assertEquals(null, p.samples.put(series, number(sample.group(3))), "a series twice: " + line);
    }
    p.checkHistograms();
    return p;
  }

  private static String family(String name, Map<String, String> types) {
    for (String suffix : new String[] {"_bucket", "_count", "_sum"}) {
      if (name.endsWith(suffix)) {
        String base = name.substring(0, name.length() - suffix.length());
        if (types.containsKey(base)) {
          return base;
        }
      }
    }
    return name;
  }

  private static double number(String v) {
    return switch (v) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(v);
    };
  }

  /** Buckets never decrease, and the last, +Inf, holds every observation. */
  private void checkHistograms() {
    types.forEach((family, type) -> {
      if (!type.equals("histogram")) {
        return;
      }
      Map<String, Double> lastBySeries = new HashMap<>();
      samples.forEach((series, value) -> {
        if (!series.startsWith(family + "_bucket{")) {
          return;
        }
        String rest = labelsWithout(series.substring(family.length() + "_bucket".length()), "le");
        Double before = lastBySeries.put(rest, value);
        assertTrue(before == null || before <= value, "buckets are cumulative: " + series);
        if (series.contains("le=\"+Inf\"")) {
          assertEquals(samples.get(family + "_count" + rest), value,
              "+Inf bucket = count: " + series);
        }
      });
      assertTrue(!lastBySeries.isEmpty(), family + " has buckets");
    });
  }

  private static String labelsWithout(String labels, String drop) {
    StringBuilder kept = new StringBuilder();
    Matcher m = LABEL.matcher(labels);
    while (m.find()) {
      if (!m.group(1).equals(drop)) {
        kept.append(kept.length() == 0 ? "" : ",").append(m.group());
      }
    }
    return kept.length() == 0 ? "" : "{" + kept + "}";
  }

  /** The value of a series, e.g. {@code livestate_rooms} or {@code x_total{code="conflict"}}. */
  double value(String series) {
    Double v = samples.get(series);
    if (v == null) {
      throw new AssertionError("no series " + series + " in the scrape");
    }
    return v;
  }
}
