/** A durable, reactive JSON document store (patchdb.md). */
module dev.hearth.patchdb {
  requires transitive dev.hearth.error;
  requires transitive com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires static org.jspecify;

  exports dev.hearth.patchdb;
  exports dev.hearth.patchdb.json;

  opens dev.hearth.patchdb to
      com.fasterxml.jackson.databind;
  opens dev.hearth.patchdb.json to
      com.fasterxml.jackson.databind;
}
