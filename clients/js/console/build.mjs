// Builds dist/: the page (index.html), its script bundled with uPlot, and uPlot's stylesheet.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
await build({
  entryPoints: ['src/console.js'], bundle: true, format: 'iife', target: 'es2020', minify: true,
  sourcemap: true, outfile: 'dist/console.js',
});
copyFileSync('src/index.html', 'dist/index.html');
copyFileSync('src/console.css', 'dist/console.css');
copyFileSync('node_modules/uplot/dist/uPlot.min.css', 'dist/uPlot.min.css');
