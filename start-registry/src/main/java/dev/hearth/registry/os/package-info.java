/**
 * The OS releases a registry lists ({@code registry.os.*}, rpc.md §4.8): versions and their notes,
 * who may publish each version's images, and the images by kind and platform with their signed
 * BLAKE3 commitments. It owns {@code /index/os} of the database and nothing else; it never stores
 * or fetches an image (see {@link dev.hearth.registry.os.OsReleases}).
 */
@NullMarked
package dev.hearth.registry.os;

import org.jspecify.annotations.NullMarked;
