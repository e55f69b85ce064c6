/**
 * Who may call the daemon (rpc.md §2): the master password (argon2id), sessions and their cookies,
 * the local cookie of the on-box CLI, login rate limiting, and the key clients encrypt passwords
 * with. Owns {@code /private/password} and {@code /private/sessions}.
 *
 * <p>Never logs or returns a password, hash, token or key; session ids (hashes of tokens) are the
 * only handles that leave this package.
 */
@NullMarked
package dev.hearth.startd.auth;

import org.jspecify.annotations.NullMarked;
