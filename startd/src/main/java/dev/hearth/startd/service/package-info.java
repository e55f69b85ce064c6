/**
 * Installed services (lifecycle.md, container-runtime.md §5): the {@code package.*} RPC methods
 * behind the {@link dev.hearth.startd.service.Services} facade. Each installed service has one
 * {@code ServiceActor}, the only code that changes it: installs, updates, uninstalls, run state,
 * rebuilds and the admission of actions arrive as sealed {@code Transition} messages and are done
 * one at a time by small transition classes ({@code Installation}, {@code Update}, {@code
 * Uninstaller}; {@code Recovery} at boot). What a package is lives in the database, typed in {@code
 * service.model}; the database is the source of truth, and actors step containers toward it. The
 * effects a package's runtime calls (container-runtime.md §2.7) are in {@code service.effect},
 * reaching this package only through {@code ServicesEffectHost}, and never waiting on an actor.
 * docs/startd.md ("The service wing") walks through it.
 *
 * <p>Never trusts a package: its effects are validated, bound to its own id, and may touch only its
 * own data, except where the spec allows reading another package's.
 */
@NullMarked
package dev.hearth.startd.service;

import org.jspecify.annotations.NullMarked;
