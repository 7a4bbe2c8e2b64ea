/** Conflict detection and the policies that resolve conflicts. */
package dev.livestate.conflict;
