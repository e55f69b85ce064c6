/**
 * The Marketplace: the registries this server browses, the {@code registry.*} proxy (rpc.md §4.8),
 * installs from a registry with resumable downloads, and the updates each registry offers. Facade:
 * {@link dev.hearth.startd.marketplace.Marketplace}.
 */
@NullMarked
package dev.hearth.startd.marketplace;

import org.jspecify.annotations.NullMarked;
