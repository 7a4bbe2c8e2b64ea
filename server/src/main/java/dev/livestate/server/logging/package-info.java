/**
 * How the server writes its logs: text or JSON lines (logback), with the JDK's own loggers
 * (the core's {@code System.Logger}, libraries on java.util.logging) sent the same way.
 */
package dev.livestate.server.logging;
