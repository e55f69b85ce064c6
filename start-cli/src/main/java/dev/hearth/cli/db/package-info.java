/** {@code start-cli db …}: the public model. */
@NullMarked
package dev.hearth.cli.db;

import org.jspecify.annotations.NullMarked;
