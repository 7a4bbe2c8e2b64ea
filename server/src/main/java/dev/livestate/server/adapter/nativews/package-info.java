/**
 * The native protocol: a codec (JSON ↔ {@link dev.livestate.server.adapter.nativews.Request}
 * records, the error catalogue) and a session that maps requests to engine calls.
 */
package dev.livestate.server.adapter.nativews;
