// A TCP proxy in front of a test server, to cut clients off and let them back.
import net from 'node:net';
import { within } from './server.mjs';

/**
 * A TCP proxy to port; cut() drops every link and refuses new ones until restore(); retarget(port)
 * sends new links to another port (a server restarted on a new one); deafen() keeps the links but
 * drops what the server sends on them.
 */
export async function startProxy(targetPort) {
  const links = new Set();
  let blocked = false;
  const server = net.createServer((inbound) => {
    if (blocked) {
      result.refused++;
      inbound.destroy();
      return;
    }
    const outbound = net.connect(targetPort, '127.0.0.1');
    const link = { inbound, outbound };
    links.add(link);
    const drop = () => {
      inbound.destroy();
      outbound.destroy();
      links.delete(link);
    };
    inbound.on('error', drop).on('close', drop);
    outbound.on('error', drop).on('close', drop);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  await within(new Promise((r) => server.listen(0, '127.0.0.1', r)), 5000, 'the proxy to listen');
  const result = {
    port: server.address().port,
    /** Connections refused while cut. */
    refused: 0,
    cut() {
      blocked = true;
      for (const l of [...links]) {
        l.inbound.destroy();
        l.outbound.destroy();
      }
      links.clear();
    },
    /** From now on what the server sends on the open links is dropped: its answers never arrive. */
    deafen() {
      for (const l of links) {
        l.outbound.unpipe(l.inbound);
        l.outbound.resume();
      }
    },
    restore() { blocked = false; },
    retarget(port) { targetPort = port; },
    close() {
      this.cut();
      server.close();
    },
  };
  return result;
}
