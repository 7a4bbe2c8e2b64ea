/**
 * Rooms: a named unit of shared state and the decisions made in it, in order, on one lane.
 * {@link dev.livestate.room.Room} is pure and single-threaded.
 */
package dev.livestate.room;
