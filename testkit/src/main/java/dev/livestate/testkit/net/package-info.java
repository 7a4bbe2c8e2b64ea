/**
 * Network faults for tests: {@link dev.livestate.testkit.net.TcpProxy}, a proxy in front of a
 * real service that a test cuts and restores, so a database can become unreachable for one
 * server without being stopped for everyone else.
 */
package dev.livestate.testkit.net;
