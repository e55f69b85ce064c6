/**
 * The server's local certificate authority: a root CA made at setup, the server certificate it
 * signs for the server's names, their PEM forms and fingerprints, the key store the TLS listener
 * uses, and the info page that tells a person how to trust the root. Keys stay in {@code
 * /private/keyStore}; only certificates leave.
 */
@NullMarked
package dev.hearth.startd.cert;

import org.jspecify.annotations.NullMarked;
