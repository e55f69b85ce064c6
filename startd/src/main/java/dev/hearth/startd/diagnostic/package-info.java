/**
 * The diagnostic mode (rpc.md §4.9): when the server cannot start (its database cannot be opened),
 * it serves why, its logs and a restart, instead of failing to start again and again. Owns nothing
 * but its RPC tree; must not touch the database it is there to report on.
 */
@NullMarked
package dev.hearth.startd.diagnostic;

import org.jspecify.annotations.NullMarked;
