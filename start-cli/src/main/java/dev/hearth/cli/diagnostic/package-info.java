/** {@code start-cli diagnostic …}: a server that could not start, from the command line. */
@NullMarked
package dev.hearth.cli.diagnostic;

import org.jspecify.annotations.NullMarked;
