/**
 * Building a package from a project made with the SDK (upstream's {@code s9pk pack}, s9pk.md §8):
 * the manifest from the built JavaScript (via {@code node}), squashfs images ({@code mksquashfs}),
 * the git hash ({@code git}), and the list of files a build depends on. Owns running those
 * programs; must not run Docker, which this platform does not have.
 */
@NullMarked
package dev.hearth.s9pk.pack;

import org.jspecify.annotations.NullMarked;
