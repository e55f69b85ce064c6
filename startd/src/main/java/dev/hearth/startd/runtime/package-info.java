/**
 * The host's side of the container runtime protocol (container-runtime.md §2): JSON lines over two
 * Unix sockets in the container's rpc directory. {@link dev.hearth.startd.runtime.RuntimeClient}
 * calls the runtime on {@code service.sock} ({@code init}, {@code start}, {@code stop}, {@code
 * execute}, {@code callback}, {@code exit}); {@link dev.hearth.startd.runtime.EffectsServer} serves
 * the package's effects on {@code host.sock}, dispatching each request on its own virtual thread to
 * an RPC tree bound to the calling package, so an effect may call back into a runtime while it is
 * still open (§2.6). {@link dev.hearth.startd.runtime.Callbacks} keeps the one-shot callbacks.
 *
 * <p>Everything a package sends is untrusted: lines are bounded, params are typed records and
 * unknown keys are ignored. Which package is calling is fixed by the socket, never by a param.
 */
@NullMarked
package dev.hearth.startd.runtime;

import org.jspecify.annotations.NullMarked;
