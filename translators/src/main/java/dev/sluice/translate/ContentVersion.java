package dev.sluice.translate;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A version string from the content of a list of resources: the same resources always give the same
 * version, so identical content is never pushed twice, even across restarts.
 */
public final class ContentVersion {
  private ContentVersion() {}

  /** The first 16 hex digits of the SHA-256 of the resources' deterministic serialization. */
  public static String of(Iterable<? extends Message> resources) {
    MessageDigest digest = sha256();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try {
      for (Message resource : resources) {
        buffer.reset();
        CodedOutputStream out = CodedOutputStream.newInstance(buffer);
        out.useDeterministicSerialization();
        resource.writeTo(out);
        out.flush();
        byte[] bytes = buffer.toByteArray();
        digest.update(intBytes(bytes.length));
        digest.update(bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(digest.digest(), 0, 8);
  }

  private static byte[] intBytes(int n) {
    return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
