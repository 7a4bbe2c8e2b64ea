// Builds dist/: an ESM bundle, an IIFE bundle (global LivestateMeet) and the type declarations.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
const common = { entryPoints: ['src/index.js'], bundle: true, target: 'es2019', sourcemap: true };
await build({ ...common, format: 'esm', outfile: 'dist/meet-client.mjs' });
await build({ ...common, format: 'iife', globalName: 'LivestateMeet', outfile: 'dist/meet-client.iife.js' });
await build({ ...common, format: 'iife', globalName: 'LivestateMeet', minify: true, outfile: 'dist/meet-client.iife.min.js' });
copyFileSync('src/index.d.ts', 'dist/meet-client.d.ts');
