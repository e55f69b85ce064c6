/**
 * Continuations (rpc.md §1.1, §3.4): a call hands out a one-time guid, and the client then opens
 * {@code /ws/rpc/<guid>} (a stream of frames) or posts to {@code /rest/rpc/<guid>} (an upload)
 * within a short window. The guid is the capability: it is random, single-use and expires. Jobs
 * bound to a session end when that session does.
 */
@NullMarked
package dev.hearth.startd.continuation;

import org.jspecify.annotations.NullMarked;
