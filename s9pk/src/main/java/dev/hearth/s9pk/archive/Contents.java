package dev.hearth.s9pk.archive;

/** What an entry holds (s9pk.md §3 entry types). */
public sealed interface Contents {
  /** Type 0x01: a file's bytes, wherever they currently are. */
  record File(FileData data) implements Contents {}

  /** Type 0x02: a directory with its own table of contents. */
  record Dir(Directory directory) implements Contents {}

  /** Type 0x00: stripped content; the entry keeps its hash and size so signatures stay valid. */
  record Missing() implements Contents {}
}
