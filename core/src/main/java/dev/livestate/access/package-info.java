/**
 * Who may do what with which room: a room's {@link dev.livestate.access.Home} (the surface it
 * belongs to), the {@link dev.livestate.access.Grant}s a client holds, and the
 * {@link dev.livestate.access.Permit} every door checks before it calls a room. Pure: tokens are
 * verified elsewhere and turned into a permit.
 */
package dev.livestate.access;
