/** startd's RPC methods, declared once for the daemon and the CLI. */
module dev.hearth.api {
  requires transitive dev.hearth.jsonrpc;
  requires transitive dev.hearth.exver;
  requires static org.jspecify;

  exports dev.hearth.api;

  opens dev.hearth.api to
      com.fasterxml.jackson.databind;
}
