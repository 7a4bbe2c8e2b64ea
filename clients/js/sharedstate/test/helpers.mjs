// Test helpers: the packaged server (via e2e/lib/server.mjs) and a TCP proxy that can cut links.
export { startServer, until, within } from '../../../../e2e/lib/server.mjs';
export { startProxy } from '../../../../e2e/lib/proxy.mjs';
