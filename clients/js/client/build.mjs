// Builds dist/: an ES module bundle, an IIFE bundle (global LIVESTATE) and the type declarations.
// node: modules stay outside the bundles: only fileStorage imports one, and only when used.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
const common = { entryPoints: ['src/index.js'], bundle: true, target: 'es2020', sourcemap: true, external: ['node:*'] };
await build({ ...common, format: 'esm', outfile: 'dist/livestate.mjs' });
await build({ ...common, format: 'iife', globalName: 'LIVESTATE', outfile: 'dist/livestate.iife.js' });
await build({ ...common, format: 'iife', globalName: 'LIVESTATE', minify: true, outfile: 'dist/livestate.iife.min.js' });
copyFileSync('src/index.d.ts', 'dist/livestate.d.ts');
