/** {@code start-cli util}: small tools ({@code b3sum}). Parses and prints only. */
@NullMarked
package dev.hearth.cli.util;

import org.jspecify.annotations.NullMarked;
