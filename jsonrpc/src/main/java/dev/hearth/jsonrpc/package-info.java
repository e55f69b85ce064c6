/**
 * JSON-RPC as StartOS speaks it (rpc.md §1): the error object and codes ({@link
 * dev.hearth.jsonrpc.RpcError}), methods declared once with typed params and access rules ({@link
 * dev.hearth.jsonrpc.MethodSpec}), the tree that binds them to handlers and dispatches ({@link
 * dev.hearth.jsonrpc.RpcTree}), the framing of request bodies ({@link
 * dev.hearth.jsonrpc.RpcEndpoint}) and a client ({@link dev.hearth.jsonrpc.RpcClient}). A pure
 * library: no transport of its own beyond the JDK's HTTP client.
 */
@NullMarked
package dev.hearth.jsonrpc;

import org.jspecify.annotations.NullMarked;
