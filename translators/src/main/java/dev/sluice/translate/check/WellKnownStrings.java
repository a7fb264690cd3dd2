package dev.sluice.translate.check;

import com.google.re2j.Pattern;
import io.envoyproxy.pgv.validate.Validate.StringRules;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.function.Predicate;

/**
 * The {@code well_known} string formats. Envoy's protos use only the header ones (see {@link
 * HeaderChars}); the others are here for other PGV-annotated protos and follow PGV's checks in
 * simplified form: email is {@code local@hostname} without display names, and URIs follow
 * java.net.URI (RFC 2396), which is stricter than Go's url.Parse.
 */
final class WellKnownStrings {
  private static final Pattern UUID =
      Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

  private WellKnownStrings() {}

  static Rule compile(StringRules r, String family) {
    String f = family + ".";
    return switch (r.getWellKnownCase()) {
      case WELL_KNOWN_REGEX -> HeaderChars.compile(r.getWellKnownRegex(), r.getStrict(), f + "well_known_regex");
      case EMAIL -> when(r.getEmail(), f + "email", "must be a valid email address", WellKnownStrings::isEmail);
      case HOSTNAME -> when(r.getHostname(), f + "hostname", "must be a valid hostname", WellKnownStrings::isHostname);
      case IP -> when(r.getIp(), f + "ip", "must be a valid IP address", WellKnownStrings::isIp);
      case IPV4 -> when(r.getIpv4(), f + "ipv4", "must be a valid IPv4 address", IpAddresses::isV4);
      case IPV6 -> when(r.getIpv6(), f + "ipv6", "must be a valid IPv6 address", IpAddresses::isV6);
      case ADDRESS -> when(r.getAddress(), f + "address", "must be a valid hostname or IP address",
          s -> isHostname(s) || isIp(s));
      case URI -> when(r.getUri(), f + "uri", "must be a valid absolute URI", s -> uri(s, true));
      case URI_REF -> when(r.getUriRef(), f + "uri_ref", "must be a valid URI reference", s -> uri(s, false));
      case UUID -> when(r.getUuid(), f + "uuid", "must be a valid UUID", s -> UUID.matcher(s).find());
      case WELLKNOWN_NOT_SET -> Rule.NONE;
    };
  }

  private static Rule when(boolean enabled, String name, String text, Predicate<String> passes) {
    return enabled ? StringChecks.rule(name, text, passes) : Rule.NONE;
  }

  static boolean isIp(String s) {
    return IpAddresses.isV4(s) || IpAddresses.isV6(s);
  }

  /** Labels of 1 to 63 letters, digits and inner hyphens; at most 253 characters; one final dot allowed. */
  static boolean isHostname(String s) {
    String host = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    if (host.isEmpty() || host.length() > 253) {
      return false;
    }
    for (String label : host.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
        return false;
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
          return false;
        }
      }
    }
    return true;
  }

  static boolean isEmail(String s) {
    int at = s.lastIndexOf('@');
    if (at <= 0 || at > 64 || s.length() > 254) {
      return false;
    }
    String local = s.substring(0, at);
    if (local.chars().anyMatch(c -> c <= ' ' || c == 0x7f || c == '@' || c == '<' || c == '>')) {
      return false;
    }
    return isHostname(s.substring(at + 1));
  }

  private static boolean uri(String s, boolean absolute) {
    try {
      URI uri = new URI(s);
      return !absolute || uri.isAbsolute();
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
