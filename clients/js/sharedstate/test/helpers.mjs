// Test helpers: the packaged server (via e2e/lib/server.mjs) and a TCP proxy that can cut links.
import net from 'node:net';
export { startServer, until } from '../../../../e2e/lib/server.mjs';

/** A TCP proxy to port; cut() drops every link and refuses new ones until restore(). */
export async function startProxy(targetPort) {
  const links = new Set();
  let blocked = false;
  const server = net.createServer((inbound) => {
    if (blocked) {
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
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: server.address().port,
    cut() {
      blocked = true;
      for (const l of [...links]) {
        l.inbound.destroy();
        l.outbound.destroy();
      }
      links.clear();
    },
    restore() { blocked = false; },
    close() {
      this.cut();
      server.close();
    },
  };
}
