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

  /** The first fenced block of this language that contains the marker text. */
  static String block(String language, String marker) {
    String text;
    try {
      text = Files.readString(FILE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      if (m.group(1).equals(language) && m.group(2).contains(marker)) {
        return m.group(2);
      }
    }
    throw new AssertionError("README.md has no ```" + language + " block containing '" + marker + "'");
  }
}
