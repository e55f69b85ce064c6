/**
 * Errors shared by every module: {@link dev.hearth.error.ErrorKind} (the RPC error codes of {@code
 * rpc.md} §1.3) and {@link dev.hearth.error.StartException}. This module depends on nothing.
 */
@NullMarked
package dev.hearth.error;

import org.jspecify.annotations.NullMarked;
