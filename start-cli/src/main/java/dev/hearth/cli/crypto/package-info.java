/**
 * The system's libcrypto (OpenSSL) behind a JCA provider, for what a TLS 1.3 handshake computes on
 * elliptic curves: ECDSA P-256 verification, X25519, and P-256 key pairs. A command makes one
 * handshake, in a JVM whose pure-Java curves are still interpreted; libcrypto has them compiled.
 * Where the library or libcrypto is missing, and for any other curve or use, the JDK's own
 * providers serve as before ({@link dev.hearth.cli.crypto.LibcryptoProvider}).
 */
@NullMarked
package dev.hearth.cli.crypto;

import org.jspecify.annotations.NullMarked;
