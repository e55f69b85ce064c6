/**
 * S9PK v2 packages (s9pk.md): the merkle archive, signatures, BLAKE3, the manifest, packing and
 * validation. Exports its facades; the parsing machinery stays package-private inside them.
 */
module dev.hearth.s9pk {
  requires transitive dev.hearth.error;
  requires transitive dev.hearth.exver;
  requires transitive com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.cbor;
  requires org.bouncycastle.provider;
  requires org.slf4j;
  requires org.apache.commons.compress;
  requires aircompressor; // no module name of its own: the name comes from the jar
  requires static org.jspecify;

  exports dev.hearth.s9pk;
  exports dev.hearth.s9pk.archive;
  exports dev.hearth.s9pk.hash;
  exports dev.hearth.s9pk.manifest;
  exports dev.hearth.s9pk.pack;
  exports dev.hearth.s9pk.sign;
  exports dev.hearth.s9pk.v1;

  opens dev.hearth.s9pk.manifest to
      com.fasterxml.jackson.databind;
  opens dev.hearth.s9pk.archive to
      com.fasterxml.jackson.databind;
}
