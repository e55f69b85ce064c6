/**
 * {@code start-registry}: a package registry server (rpc.md §4.8). Its state lives in a {@code
 * patchdb} under its data directory, its package files in a content-addressed store; requests are
 * authenticated by signature (rpc.md §2.4) with every nonce remembered.
 */
@NullMarked
package dev.hearth.registry;

import org.jspecify.annotations.NullMarked;
