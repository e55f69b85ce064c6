/**
 * How {@code start-cli} reaches a server (rpc.md §2.5): the URL ({@code -H}, the config file, the
 * local daemon's URL file, else {@code http://localhost}), the local auth cookie when the server is
 * this machine, and the session cookie jar for remote servers.
 */
@NullMarked
package dev.hearth.cli.connect;

import org.jspecify.annotations.NullMarked;
