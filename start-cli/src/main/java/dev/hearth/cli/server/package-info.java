/** {@code start-cli server …}: clock, hardware, metrics, logs, name, power. */
@NullMarked
package dev.hearth.cli.server;

import org.jspecify.annotations.NullMarked;
