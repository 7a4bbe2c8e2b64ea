/** Changes and ops: what a writer proposes and what the room accepts and numbers. */
package dev.livestate.op;
