package dev.hearth.s9pk.archive;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.hearth.s9pk.hash.Blake3Hash;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a registry promises about an archive (s9pk.md §4, {@code MerkleArchiveCommitment}): its root
 * sighash and the root TOC size at signing. JSON {@code {"rootSighash": base64, "rootMaxsize": n}},
 * base64 standard alphabet without padding on output, padding accepted on input.
 */
public record Commitment(Blake3Hash rootSighash, long rootMaxsize) {
  @JsonCreator
  public static Commitment fromJson(
      @JsonProperty("rootSighash") String rootSighash,
      @JsonProperty("rootMaxsize") long rootMaxsize) {
    return new Commitment(new Blake3Hash(Base64.getDecoder().decode(rootSighash)), rootMaxsize);
  }

  /** The wire form: {@code rootSighash} first, then {@code rootMaxsize}. */
  @JsonValue
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("rootSighash", rootSighash.base64());
    json.put("rootMaxsize", rootMaxsize);
    return json;
  }

  /** The 40 bytes that are pre-hashed and signed: sighash ‖ u64be(rootMaxsize) (§5). */
  public byte[] signedMessage() {
    byte[] m = new byte[40];
    rootSighash.copyTo(m, 0);
    for (int i = 0; i < 8; i++) {
      m[32 + i] = (byte) (rootMaxsize >>> (56 - 8 * i));
    }
    return m;
  }
}
