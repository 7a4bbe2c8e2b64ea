/** The sync contract's answers: outcomes of proposals and catch-up for a position. */
package dev.livestate.sync;
