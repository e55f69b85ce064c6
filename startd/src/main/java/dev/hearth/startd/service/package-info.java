/**
 * Installed services (lifecycle.md): install by sideload, the per-service actor that reconciles
 * {@code statusInfo.desired} with the container, actions and tasks, uninstall, logs and stats, the
 * {@code package.*} RPC methods. The effects a package's runtime calls (container-runtime.md §2.7)
 * are in {@code service.effect}, reaching this package only through {@code ServicesEffectHost};
 * what they write is typed in {@code service.model}. The database is the source of truth: RPC
 * methods change it, actors act on it.
 *
 * <p>Never trusts a package: its effects are validated, bound to its own id, and may touch only its
 * own data, except where the spec allows reading another package's.
 */
@NullMarked
package dev.hearth.startd.service;

import org.jspecify.annotations.NullMarked;
