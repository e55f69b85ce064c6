/** {@code start-cli auth …}: log in and out, sessions, the master password. */
@NullMarked
package dev.hearth.cli.auth;

import org.jspecify.annotations.NullMarked;
