package dev.sluice.translate.check;

import com.google.protobuf.ByteString;
import io.envoyproxy.pgv.validate.Validate.BytesRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** BytesRules; the ip kinds check the length of a packed address (4 or 16 bytes), as PGV does. */
final class BytesChecks {
  private BytesChecks() {}

  static Rule compile(BytesRules r, String family) {
    List<Rule> checks = new ArrayList<>();
    if (r.hasConst()) {
      checks.add(rule(family + ".const", "must equal " + Show.bytes(r.getConst()), b -> b.equals(r.getConst())));
    }
    if (r.getInCount() > 0) {
      Set<ByteString> in = Set.copyOf(r.getInList());
      checks.add(rule(family + ".in", "must be one of " + Show.list(r.getInList(), Show::bytes), in::contains));
    }
    if (r.getNotInCount() > 0) {
      Set<ByteString> notIn = Set.copyOf(r.getNotInList());
      checks.add(rule(family + ".not_in", "must not be one of " + Show.list(r.getNotInList(), Show::bytes),
          b -> !notIn.contains(b)));
    }
    if (r.hasLen()) {
      checks.add(rule(family + ".len", "must be exactly " + r.getLen() + " bytes", b -> b.size() == r.getLen()));
    }
    if (r.hasMinLen()) {
      checks.add(rule(family + ".min_len", "must be at least " + r.getMinLen() + " bytes",
          b -> Long.compareUnsigned(b.size(), r.getMinLen()) >= 0));
    }
    if (r.hasMaxLen()) {
      checks.add(rule(family + ".max_len", "must be at most " + r.getMaxLen() + " bytes",
          b -> Long.compareUnsigned(b.size(), r.getMaxLen()) <= 0));
    }
    if (r.hasPrefix()) {
      checks.add(rule(family + ".prefix", "must start with " + Show.bytes(r.getPrefix()),
          b -> b.startsWith(r.getPrefix())));
    }
    if (r.hasSuffix()) {
      checks.add(rule(family + ".suffix", "must end with " + Show.bytes(r.getSuffix()),
          b -> b.endsWith(r.getSuffix())));
    }
    if (r.hasContains()) {
      checks.add(rule(family + ".contains", "must contain " + Show.bytes(r.getContains()),
          b -> contains(b, r.getContains())));
    }
    switch (r.getWellKnownCase()) {
      case IP -> checks.add(when(r.getIp(), family + ".ip", "must be an IP address of 4 or 16 bytes",
          b -> b.size() == 4 || b.size() == 16));
      case IPV4 -> checks.add(when(r.getIpv4(), family + ".ipv4", "must be an IPv4 address of 4 bytes",
          b -> b.size() == 4));
      case IPV6 -> checks.add(when(r.getIpv6(), family + ".ipv6", "must be an IPv6 address of 16 bytes",
          b -> b.size() == 16));
      default -> { }
    }
    if (r.hasPattern()) {
      checks.add(StringChecks.pattern(r.getPattern(), family + ".pattern"));
    }
    Rule all = Rule.firstOf(checks);
    return r.getIgnoreEmpty() ? all.unless(v -> ((ByteString) v).isEmpty()) : all;
  }

  private static Rule when(boolean enabled, String name, String text, Predicate<ByteString> passes) {
    return enabled ? rule(name, text, passes) : Rule.NONE;
  }

  private static Rule rule(String name, String text, Predicate<ByteString> passes) {
    return Rule.of(name, text, v -> passes.test((ByteString) v));
  }

  private static boolean contains(ByteString haystack, ByteString needle) {
    for (int start = 0; start + needle.size() <= haystack.size(); start++) {
      if (haystack.substring(start, start + needle.size()).equals(needle)) {
        return true;
      }
    }
    return false;
  }
}
