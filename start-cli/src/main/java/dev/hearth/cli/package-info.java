/**
 * {@code start-cli}: the command tree ({@link dev.hearth.cli.StartCli}), the global options, and
 * output formatting. Subcommand groups live in subpackages, one class per upstream group.
 */
@NullMarked
package dev.hearth.cli;

import org.jspecify.annotations.NullMarked;
