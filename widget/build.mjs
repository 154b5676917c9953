// Build the widget: one minified bundle, widget/dist/widget.js, and a report of its sizes.
// Usage: node build.mjs [--outfile PATH]   (the tests build to a temporary file and compare)

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { runChecks } from 'es-check';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const at = process.argv.indexOf('--outfile');
const outfile = at > 0 ? process.argv[at + 1] : join(here, 'dist', 'widget.js');
const GZIP_BUDGET = 6144;

// The declared browser baseline is package.json's `browserslist` ("name >= version" lines):
// esbuild writes for those browsers, and es-check refuses a bundle using a language feature
// one of them lacks. The widget checks the DOM features itself and shows no trigger without.
const { browserslist } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
const ESBUILD_NAMES = {
  chrome: 'chrome',
  edge: 'edge',
  firefox: 'firefox',
  safari: 'safari',
  ios_saf: 'ios',
};
const target = browserslist.map((line) => {
  const [, name, version] = line.match(/^(\w+) >= ([\d.]+)$/);
  return ESBUILD_NAMES[name] + version;
});

// CSS is written as a readable stylesheet and shipped as one minified string.
const minifiedCss = {
  name: 'minified-css',
  setup(build) {
    build.onLoad({ filter: /\.css$/ }, async (args) => {
      const css = readFileSync(args.path, 'utf8');
      const { code } = await esbuild.transform(css, { loader: 'css', minify: true });
      return { contents: code.trim(), loader: 'text' };
    });
  },
};

await esbuild.build({
  entryPoints: [join(here, 'src', 'index.js')],
  bundle: true,
  minify: true,
  format: 'iife',
  target,
  charset: 'utf8',
  legalComments: 'none',
  // Internal properties end with `_` (ctx.site_, dialog.element_…) and are renamed to short
  // names. Nothing that crosses out of the widget ends with `_`: DOM and data- attributes, the
  // JSON sent to the server, localStorage contents, the /config answer, `window.Touchpoint`.
  // Quoted names ('x_') are never mangled, so a string key always means what it says.
  mangleProps: /[^_]_$/,
  mangleQuoted: false,
  plugins: [minifiedCss],
  outfile,
});

const checked = runChecks(
  [
    {
      checkBrowser: true,
      checkFeatures: true,
      browserslistQuery: browserslist.join(', '),
      files: [outfile],
    },
  ],
  {},
);
if (!checked.success) {
  const found = checked.errors.map((error) => error.err.message);
  console.error(`below the browser baseline: ${found.join('; ')}`);
  process.exit(1);
}

const bundle = readFileSync(outfile);
const gzip = gzipSync(bundle, { level: 9 }).length;
const brotli = brotliCompressSync(bundle, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
}).length;
console.log(`${outfile}: ${bundle.length} bytes raw, ${gzip} gzip -9, ${brotli} brotli -11`);
if (gzip > GZIP_BUDGET) {
  console.error(`over budget: gzip -9 ${gzip} > ${GZIP_BUDGET} bytes`);
  process.exit(1);
}
