/** {@code start-cli net …}, and the host commands of {@code package} and {@code server}. */
@NullMarked
package dev.hearth.cli.net;

import org.jspecify.annotations.NullMarked;
