/**
 * {@code start-cli init key} and {@code start-cli pubkey}: the developer key that signs packages.
 * Parses and prints only; key handling is {@code dev.hearth.s9pk.sign.DeveloperKey}.
 */
@NullMarked
package dev.hearth.cli.keys;

import org.jspecify.annotations.NullMarked;
