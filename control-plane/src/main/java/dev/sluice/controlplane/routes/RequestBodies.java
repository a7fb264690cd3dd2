package dev.sluice.controlplane.routes;

import dev.sluice.controlplane.api.ApiException;
import dev.sluice.model.ModelRouteCodec.Format;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;

/** Reads request bodies with a size limit, and tells JSON from YAML by content type. */
final class RequestBodies {
  static final int MAX_BYTES = 1024 * 1024;

  private RequestBodies() {}

  static String read(HttpServletRequest request) {
    long declared = request.getContentLengthLong();
    if (declared > MAX_BYTES) {
      throw tooLarge();
    }
    try (InputStream in = request.getInputStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        if (out.size() > MAX_BYTES) {
          throw tooLarge();
        }
      }
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Format format(HttpServletRequest request) {
    String type = request.getContentType();
    return type != null && type.toLowerCase(java.util.Locale.ROOT).contains("yaml") ? Format.YAML : Format.JSON;
  }

  private static ApiException tooLarge() {
    return ApiException.of(HttpStatus.CONTENT_TOO_LARGE, "(body)", "is larger than " + MAX_BYTES + " bytes");
  }
}
