/**
 * {@code start-cli registry …}: a registry's methods (rpc.md §4.8), called on the registry itself
 * ({@code -r URL}), signed with the developer key for the registry's host name.
 */
@NullMarked
package dev.hearth.cli.registry;

import org.jspecify.annotations.NullMarked;
