/**
 * First run (rpc.md §4.10): while the database is empty the daemon serves only these methods. A
 * fresh setup takes the master password (encrypted to the server's key) and a name, derives the
 * hostname, makes the root CA, server certificate and keys, and writes the whole first model in one
 * transaction, so a crash leaves either no setup or a complete one. Restoring from a backup and
 * transferring from another drive belong to the backup work and say so.
 */
@NullMarked
package dev.hearth.startd.setup;

import org.jspecify.annotations.NullMarked;
