package dev.sluice.translate.check;

/**
 * Textual IP address checks without java.net.InetAddress, which may resolve names; the check
 * must stay free of I/O. Zones ({@code %eth0}) are rejected, as Go's net.ParseIP does.
 */
final class IpAddresses {
  private IpAddresses() {}

  /** Dotted decimal, four parts of 0 to 255 without leading zeros. */
  static boolean isV4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')
          || !part.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  /** Eight groups of 1 to 4 hex digits, one "::" for a run of zero groups, an IPv4 tail allowed. */
  static boolean isV6(String s) {
    int lastColon = s.lastIndexOf(':');
    if (lastColon < 0) {
      return false;
    }
    String body = s;
    String tail = s.substring(lastColon + 1);
    if (tail.contains(".")) {
      if (!isV4(tail)) {
        return false;
      }
      body = s.substring(0, lastColon + 1) + "0:0";
    }
    int gap = body.indexOf("::");
    if (gap < 0) {
      return groups(body) == 8;
    }
    if (body.indexOf("::", gap + 1) >= 0) {
      return false;
    }
    int left = gap == 0 ? 0 : groups(body.substring(0, gap));
    int right = gap + 2 == body.length() ? 0 : groups(body.substring(gap + 2));
    return left >= 0 && right >= 0 && left + right <= 7;
  }

  /** How many valid groups {@code part} holds, or -1 when one is not 1 to 4 hex digits. */
  private static int groups(String part) {
    String[] groups = part.split(":", -1);
    for (String group : groups) {
      if (group.isEmpty() || group.length() > 4 || !group.chars().allMatch(IpAddresses::isHexDigit)) {
        return -1;
      }
    }
    return groups.length;
  }

  private static boolean isHexDigit(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
