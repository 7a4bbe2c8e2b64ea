/**
 * Live meets for OpenLifter (seed 003): the codec of the {@code msgType} JSON messages
 * ({@code MeetCodec} reads what clients send into {@code MeetRequest}s, {@code MeetMessages}
 * writes all the server sends), the meets (auth data in room attributes: scrypt password hash,
 * location priorities, hashed session tokens), the admission of scrypt work ({@code Admissions}:
 * per-address limits, each meet's paced password checks, one bounded {@code HashingPool}; see
 * docs/decisions/003-meet-password-guessing.md), a per-connection session mapping messages to
 * engine calls, SMTP confirmations, and the surface mounting the WebSocket, downloads, overlay
 * page and JS bundles.
 */
package dev.livestate.server.adapter.meet;
