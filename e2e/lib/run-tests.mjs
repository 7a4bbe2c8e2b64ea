// Runs test files one at a time, each bounded in time:
//   node run-tests.mjs --timeout=SECONDS FILE...
// The same command on Node 18, 20 and 22: `node --test DIR` fails on Node 21+ (a directory is no
// longer searched), and `--test-timeout` does not exist on Node 18, while node:test's run() takes
// files, concurrency and timeout on all three. As with --test-timeout, the limit applies to each
// file as a whole: a file still running then fails ("test timed out") and the next one starts.
import { run } from 'node:test';
import { spec, tap } from 'node:test/reporters';
import { existsSync } from 'node:fs';

const args = process.argv.slice(2);
const limit = args.find((a) => a.startsWith('--timeout='));
const files = args.filter((a) => !a.startsWith('--'));
const seconds = limit ? Number(limit.slice('--timeout='.length)) : NaN;
if (!(seconds > 0) || files.length === 0) {
  console.error('usage: node run-tests.mjs --timeout=SECONDS FILE...');
  process.exit(2);
}
const missing = files.filter((f) => !existsSync(f));
if (missing.length) {
  console.error(`no such test file: ${missing.join(', ')}`);
  process.exit(2);
}

// Stopped from outside (a build's timeout, Ctrl-C): the running file is cancelled, which ends its
// process with SIGTERM, and lib/server.mjs then kills any server it started.
const stop = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    console.error(`${signal}: cancelling the tests`);
    stop.abort();
    setTimeout(() => process.exit(1), 5000).unref();
  });
}

// npm does not pass a SIGTERM on to its script: orphaned, this runner cancels itself the same way
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
}, 1000).unref();

let failed = false;
const stream = run({ files, concurrency: 1, timeout: seconds * 1000, signal: stop.signal });
stream.on('test:fail', () => {
  failed = true;
});
stream.on('end', () => {
  process.exitCode = failed ? 1 : 0;
});
// like `node --test`: readable on a terminal, TAP in logs
stream.compose(process.stdout.isTTY ? new spec() : tap).pipe(process.stdout);
