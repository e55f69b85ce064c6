/**
 * The effects a package's runtime calls (container-runtime.md §2.7): declared once in {@link
 * dev.hearth.startd.service.effect.Effects} as record-typed specs whose params validate themselves,
 * and handled by one class per theme (actions and tasks, status, dependencies, container, network,
 * certificates and plugins), each bound to the calling package ({@link
 * dev.hearth.startd.service.effect.CallingService}).
 *
 * <p>Relies only on {@link dev.hearth.startd.service.effect.EffectHost} for the rest of the server,
 * never on the service facade itself, and on the typed paths of {@code service.model.PackagePaths}.
 * Every change an effect makes is one transaction that re-reads what it changes (no read in one
 * call and write in another), checked against the caller's storage quota; no transaction is held
 * while a runtime is called. Never trusts a package: ids, ports, sizes and one-of values are
 * checked when the params are built, and another package's data is only read, where the spec allows
 * it.
 */
@NullMarked
package dev.hearth.startd.service.effect;

import org.jspecify.annotations.NullMarked;
