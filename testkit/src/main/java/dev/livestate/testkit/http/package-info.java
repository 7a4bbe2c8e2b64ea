/**
 * HTTP calls for tests: {@link dev.livestate.testkit.http.Http}, one real client with bounded
 * waits, answering with the status, headers and body as text.
 */
package dev.livestate.testkit.http;
