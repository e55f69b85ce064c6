/**
 * {@code startd}, the daemon: {@link dev.hearth.startd.Startd} is the composition root, {@link
 * dev.hearth.startd.StartdConfig} its one configuration record. Each subsystem lives in its own
 * subpackage behind a small facade.
 */
@NullMarked
package dev.hearth.startd;

import org.jspecify.annotations.NullMarked;
