/** A room's materialised state, each key remembering the write that set it. */
package dev.livestate.state;
