package dev.sluice.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The project's README, for tests that run its examples as a user would copy them. */
final class Readme {
  static final Path FILE = Path.of("..", "README.md").toAbsolutePath().normalize();
  private static final Pattern BLOCK = Pattern.compile("```(\\w+)\\n(.*?)```", Pattern.DOTALL);

  private Readme() {}

  /**
   * The rows of the first table whose header row starts with {@code headerStart}: the first cell
   * (backticks removed) to the other cells, in order.
   */
  static java.util.Map<String, java.util.List<String>> table(String headerStart) {
    java.util.Map<String, java.util.List<String>> rows = new java.util.LinkedHashMap<>();
    boolean inTable = false;
    for (String line : text().split("\n")) {
      if (!inTable) {
        inTable = line.startsWith(headerStart);
        continue;
      }
      if (!line.startsWith("|")) {
        break;
      }
      if (line.startsWith("|---")) {
        continue;
      }
      java.util.List<String> cells = new java.util.ArrayList<>();
      for (String cell : line.substring(1, line.lastIndexOf('|')).split("\\|")) {
        cells.add(cell.strip());
      }
      rows.put(cells.get(0).replace("`", ""), java.util.List.copyOf(cells.subList(1, cells.size())));
    }
    if (rows.isEmpty()) {
      throw new AssertionError("README.md has no table under a header starting with '" + headerStart + "'");
    }
    return rows;
  }

  private static String text() {
    try {
      return Files.readString(FILE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first fenced block of this language that contains the marker text. */
  static String block(String language, String marker) {
    Matcher m = BLOCK.matcher(text());
    while (m.find()) {
      if (m.group(1).equals(language) && m.group(2).contains(marker)) {
        return m.group(2);
      }
    }
    throw new AssertionError("README.md has no ```" + language + " block containing '" + marker + "'");
  }
}
