/** JSON-RPC framing, the handler tree and a client (rpc.md §1). */
module dev.hearth.jsonrpc {
  requires transitive dev.hearth.error;
  requires transitive com.fasterxml.jackson.databind;
  requires transitive java.net.http;
  requires org.slf4j;
  requires static org.jspecify;

  exports dev.hearth.jsonrpc;

  opens dev.hearth.jsonrpc to
      com.fasterxml.jackson.databind;
}
