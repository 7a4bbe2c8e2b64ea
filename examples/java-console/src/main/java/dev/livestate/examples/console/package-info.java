/**
 * An example of the Java SDK: {@link dev.livestate.examples.console.Console} follows a room,
 * printing every change, and writes to it from the lines typed in.
 */
package dev.livestate.examples.console;
