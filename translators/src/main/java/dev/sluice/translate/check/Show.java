package dev.sluice.translate.check;

import com.google.protobuf.ByteString;
import com.google.protobuf.TextFormat;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** How rule values appear in violation messages and paths. */
final class Show {
  private Show() {}

  /** A string in double quotes with control characters escaped, so a stray newline is visible. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"', '\\' -> out.append('\\').append(c);
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  static String bytes(ByteString bytes) {
    return "\"" + TextFormat.escapeBytes(bytes) + "\"";
  }

  static <T> String list(List<T> items, Function<? super T, String> show) {
    return items.stream().map(show).collect(Collectors.joining(", ", "[", "]"));
  }
}
