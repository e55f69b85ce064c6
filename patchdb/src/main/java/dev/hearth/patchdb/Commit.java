package dev.hearth.patchdb;

import java.util.Optional;

/**
 * What a transaction returned, and the revision it committed; no revision when it changed nothing.
 */
public record Commit<R>(R value, Optional<Revision> revision) {}
