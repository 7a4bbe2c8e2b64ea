/**
 * The database servers tests use when they are running: {@link
 * dev.livestate.testkit.database.TestDatabase}, a PostgreSQL schema or a MariaDB database of a
 * test's own; {@link dev.livestate.testkit.database.PrivatePostgres}, a whole PostgreSQL server
 * of a test's own that it may stop and start; and {@link
 * dev.livestate.testkit.database.Prerequisite}, what a test does when a server is not there
 * (skipped on a developer's machine, failed on CI).
 */
package dev.livestate.testkit.database;
