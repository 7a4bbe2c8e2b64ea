// Builds dist/: ES module and IIFE (global SHAREDSTATE) bundles, minified twins, and types.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

const common = { entryPoints: ['src/sharedstate.js'], bundle: true, external: ['ws'], target: 'es2020', logLevel: 'warning' };
mkdirSync('dist', { recursive: true });
await Promise.all([
  build({ ...common, format: 'esm', outfile: 'dist/sharedstate.es.js' }),
  build({ ...common, format: 'esm', minify: true, outfile: 'dist/sharedstate.es.min.js' }),
  build({ ...common, format: 'iife', globalName: 'SHAREDSTATE', outfile: 'dist/sharedstate.iife.js' }),
  build({ ...common, format: 'iife', globalName: 'SHAREDSTATE', minify: true, outfile: 'dist/sharedstate.iife.min.js' }),
]);
copyFileSync('src/sharedstate.d.ts', 'dist/sharedstate.d.ts');
