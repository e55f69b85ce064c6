/**
 * Ed25519ph signatures with a context (s9pk.md §5): the developer key that signs packages ({@link
 * dev.hearth.s9pk.sign.DeveloperKey}) and the public key that verifies them ({@link
 * dev.hearth.s9pk.sign.SignerKey}), with their PEM forms (§12). Private key bytes never appear in a
 * message, a log line or a {@code toString()}.
 */
@NullMarked
package dev.hearth.s9pk.sign;

import org.jspecify.annotations.NullMarked;
