/** Base32 (RFC 4648, no padding), the alphabet of ids that travel in URLs and cookies. */
@NullMarked
package dev.hearth.startd.base32;

import org.jspecify.annotations.NullMarked;
