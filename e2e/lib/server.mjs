// Starts the packaged livestate server as a child process on a free port, for black-box tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const JAR = process.env.LIVESTATE_JAR || join(here, '..', '..', 'server', 'target', 'livestate.jar');

/**
 * Starts the server. Options: args (extra CLI flags), dataDir (reuse a data directory), env.
 * Resolves to { port, url, wsUrl, dataDir, logs(), stop(), kill() } once it listens.
 * Its output is printed only if the test that started it fails to stop it cleanly.
 */
export async function startServer({ args = [], dataDir, env = {} } = {}) {
  const dir = dataDir || mkdtempSync(join(tmpdir(), 'livestate-e2e-'));
  const child = spawn('java', ['-jar', JAR, '--port', '0', '--data-dir', dir, '--store-sync', 'normal', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in 30 s:\n' + out)), 30000);
    const onData = (chunk) => {
      out += chunk;
      const m = /listening on port (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    dataDir: dir,
    logs: () => out,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    cleanup() {
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until predicate() is truthy, polling; fails with message after timeoutMs. */
export async function until(predicate, message = 'condition', timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await predicate();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + message);
    await new Promise((r) => setTimeout(r, 10));
  }
}
