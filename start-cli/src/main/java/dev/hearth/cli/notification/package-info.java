/** {@code start-cli notification …}. */
@NullMarked
package dev.hearth.cli.notification;

import org.jspecify.annotations.NullMarked;
