/**
 * The server as a machine: its clock and uptime, hardware, metrics read from {@code /proc} and
 * {@code /sys}, the daemon's own log and the kernel's ({@code /dev/kmsg}), its names, and power
 * actions. Binds {@code echo}, {@code state} and {@code server.*}.
 */
@NullMarked
package dev.hearth.startd.system;

import org.jspecify.annotations.NullMarked;
