package dev.sluice.translate.check;

/**
 * One broken PGV rule.
 *
 * @param path where, as proto field names from the checked message down: {@code
 *     virtual_hosts[0].domains}, {@code metadata["key"]}, and {@code typed_config(full.type.Name)}
 *     for the payload of an {@code Any}
 * @param rule what is wrong, ending with the rule's name as written in the .proto, for example
 *     {@code must be at least 1 characters (string.min_len)}
 */
public record Violation(String path, String rule) {
  @Override
  public String toString() {
    return path + ": " + rule;
  }
}
