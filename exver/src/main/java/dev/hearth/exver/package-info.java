/**
 * Extended versions and version ranges, compatible with StartOS's {@code exver} (exver.md).
 *
 * <p>{@link dev.hearth.exver.ExtendedVersion} orders package versions within a flavor; {@link
 * dev.hearth.exver.VersionRange} parses, prints and evaluates ranges; {@link
 * dev.hearth.exver.VersionString} keeps a manifest's original text. Where upstream's Rust and
 * TypeScript implementations disagree (exver.md §7), this library follows Rust. It is a pure
 * library: it depends on nothing of ours above {@code error}, and on Jackson only for annotations.
 */
@NullMarked
package dev.hearth.exver;

import org.jspecify.annotations.NullMarked;
