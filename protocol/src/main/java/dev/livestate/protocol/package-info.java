/**
 * What a livestate server and its clients share about the wire (docs/protocol.md): the native
 * protocol's requests ({@link dev.livestate.protocol.Request}) and their codec, the messages the
 * server sends ({@link dev.livestate.protocol.ServerMessages}), its HTTP API's bodies and answers
 * ({@link dev.livestate.protocol.HttpApiCodec}), the error codes both answer with
 * ({@link dev.livestate.protocol.ErrorCode}), and the close reasons of every surface. Depends on
 * the core and Jackson only, so a client can use it without the server; bytes in and out, no
 * I/O.
 */
package dev.livestate.protocol;
