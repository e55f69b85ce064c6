package dev.hearth.patchdb;

import dev.hearth.patchdb.json.Json;
import dev.hearth.patchdb.json.JsonCodec;
import dev.hearth.patchdb.json.JsonObject;
import java.util.Objects;

/**
 * How a database is opened. {@link #defaults()} suits the daemon; tests shrink the compaction
 * threshold to exercise it.
 *
 * @param codec converts records to and from JSON; its mapper decides how records look
 * @param initialDocument the document of a new database, at revision 0
 * @param compactAfterBytes journal bytes after which a snapshot is written and older journal
 *     segments deleted; at least the size of the last snapshot is always allowed, so a large
 *     document is not rewritten for every few small changes
 * @param subscriberBufferRevisions revisions a subscriber may fall behind before it is cut off
 * @param maxRevisionBytes the largest patch one transaction may write
 * @param maxLoadBytes the most bytes of snapshot and journal segments that opening may load, by
 *     their size on disk (the document takes several times that in memory); a larger database is
 *     refused with a DATABASE error before anything is read. {@link Long#MAX_VALUE}, the default,
 *     means no limit
 */
public record PatchDbOptions(
    JsonCodec codec,
    Json initialDocument,
    long compactAfterBytes,
    int subscriberBufferRevisions,
    int maxRevisionBytes,
    long maxLoadBytes) {

  public PatchDbOptions {
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(initialDocument, "initialDocument");
    if (compactAfterBytes < 1) {
      throw new IllegalArgumentException("compactAfterBytes must be > 0: " + compactAfterBytes);
    }
    if (subscriberBufferRevisions < 1) {
      throw new IllegalArgumentException(
          "subscriberBufferRevisions must be > 0: " + subscriberBufferRevisions);
    }
    if (maxRevisionBytes < 1 || maxRevisionBytes > Recovery.MAX_RECORD_BYTES) {
      throw new IllegalArgumentException(
          "maxRevisionBytes must be in 1.." + Recovery.MAX_RECORD_BYTES + ": " + maxRevisionBytes);
    }
    if (maxLoadBytes < 1) {
      throw new IllegalArgumentException("maxLoadBytes must be > 0: " + maxLoadBytes);
    }
  }

  public static PatchDbOptions defaults() {
    return new PatchDbOptions(
        JsonCodec.standard(),
        JsonObject.EMPTY,
        8L << 20, // 8 MiB of journal: replaying it on open takes well under a second
        4096, // a UI that misses 4096 revisions is better served by a fresh dump
        64 << 20, // 64 MiB: far above any real state change, far below memory
        Long.MAX_VALUE); // no limit: the heap is the limit, and running out of it is reported
  }

  public PatchDbOptions withCodec(JsonCodec codec) {
    return new PatchDbOptions(
        codec,
        initialDocument,
        compactAfterBytes,
        subscriberBufferRevisions,
        maxRevisionBytes,
        maxLoadBytes);
  }

  public PatchDbOptions withInitialDocument(Json document) {
    return new PatchDbOptions(
        codec,
        document,
        compactAfterBytes,
        subscriberBufferRevisions,
        maxRevisionBytes,
        maxLoadBytes);
  }

  public PatchDbOptions withCompactAfterBytes(long bytes) {
    return new PatchDbOptions(
        codec, initialDocument, bytes, subscriberBufferRevisions, maxRevisionBytes, maxLoadBytes);
  }

  public PatchDbOptions withSubscriberBufferRevisions(int revisions) {
    return new PatchDbOptions(
        codec, initialDocument, compactAfterBytes, revisions, maxRevisionBytes, maxLoadBytes);
  }

  public PatchDbOptions withMaxRevisionBytes(int bytes) {
    return new PatchDbOptions(
        codec, initialDocument, compactAfterBytes, subscriberBufferRevisions, bytes, maxLoadBytes);
  }

  /** A copy that refuses to load a database of more than {@code bytes} of snapshot and journal. */
  public PatchDbOptions withMaxLoadBytes(long bytes) {
    return new PatchDbOptions(
        codec,
        initialDocument,
        compactAfterBytes,
        subscriberBufferRevisions,
        maxRevisionBytes,
        bytes);
  }
}
