/**
 * The engine at work: rooms on serial lanes, writes pipelined to stores, events fanned out to
 * subscribers only after commit, each broadcast encoded once per protocol.
 */
package dev.livestate.engine;
