/**
 * The RPC methods of {@code startd}, declared once (rpc.md §4): each group class holds the {@link
 * dev.hearth.jsonrpc.MethodSpec}s of one upstream subcommand group and the records of their params
 * and results, with upstream's camelCase keys. The daemon binds handlers to these declarations and
 * {@code start-cli} calls through them, so the two cannot disagree on a name or a field.
 */
@NullMarked
package dev.hearth.api;

import org.jspecify.annotations.NullMarked;
