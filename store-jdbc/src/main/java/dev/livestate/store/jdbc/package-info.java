/**
 * Durable stores over JDBC: embedded SQLite (the default), MariaDB/MySQL and PostgreSQL. One
 * writer thread per store applies queued writes in group commits; the schema lives in
 * {@code schema/<dialect>.sql} next to these classes.
 */
package dev.livestate.store.jdbc;
