/**
 * {@code start-cli s9pk …}: pack, inspect, edit, select and convert packages, with upstream's
 * command names and flags (so the SDK's {@code s9pk.mk} works). Parses and prints only; the work is
 * in the {@code s9pk} library.
 */
@NullMarked
package dev.hearth.cli.s9pk;

import org.jspecify.annotations.NullMarked;
