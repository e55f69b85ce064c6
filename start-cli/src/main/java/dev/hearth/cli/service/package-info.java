/**
 * {@code start-cli package …} (rpc.md §4.4): installed services — sideload, run, act on, read.
 * Named {@code service} because {@code package} is a Java keyword, and after the daemon's subsystem
 * that serves the same methods. Parses, calls and prints; the daemon does the work.
 */
@NullMarked
package dev.hearth.cli.service;

import org.jspecify.annotations.NullMarked;
