// Build the widget into widget/dist/: the bundle every page loads (widget.js), the module per
// language it imports at the first sign of interaction (<lang>.<hash>.js: that language's texts
// and src/later.js), a .gz (gzip -9) and a .br (brotli 11) beside each, and a report of sizes.
// Usage: node build.mjs [--outdir DIR]   (the tests build to a temporary folder and compare)

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { runChecks } from 'es-check';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const at = process.argv.indexOf('--outdir');
const outdir = at > 0 ? process.argv[at + 1] : join(here, 'dist');
const GZIP_BUDGET = 6144;
const LAZY_GZIP_BUDGET = 4096;
const LAZY_LANGUAGES = ['en', 'nl', 'de', 'fr', 'es', 'ar'];

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

// Internal properties end with `_` (ctx.site_, dialog.element_…) and are renamed to short
// names. Nothing that crosses out of the widget ends with `_`: DOM and data- attributes, the
// JSON sent to the server, localStorage contents, the /config answer, `window.Touchpoint`.
// Quoted names ('x_') are never mangled, so a string key always means what it says. The text
// files share the bundle's renaming (one mangle cache), so their keys are the bundle's.
const MANGLE = { mangleProps: /[^_]_$/, mangleQuoted: false };

/** Build the bundle with `lazyName` (the lazy modules' name after the language) and the
 * renaming in `mangleCache`. */
async function buildBundle(lazyName, mangleCache) {
  const result = await esbuild.build({
    entryPoints: [join(here, 'src', 'index.js')],
    bundle: true,
    minify: true,
    format: 'iife',
    target,
    charset: 'utf8',
    legalComments: 'none',
    ...MANGLE,
    mangleCache,
    define: { LAZY: JSON.stringify(lazyName) },
    plugins: [minifiedCss],
    write: false,
  });
  return { code: result.outputFiles[0].contents, mangleCache: result.mangleCache };
}

/** Build the lazy module of `lang`: src/texts/<lang>.js as `texts`, and src/later.js. */
async function buildLater(lang, mangleCache) {
  const result = await esbuild.build({
    stdin: {
      contents: `export { default as texts } from './texts/${lang}.js';
        export * from './later.js';`,
      resolveDir: join(here, 'src'),
    },
    bundle: true,
    minify: true,
    format: 'esm',
    target,
    charset: 'utf8',
    legalComments: 'none',
    ...MANGLE,
    mangleCache,
    write: false,
  });
  return { code: result.outputFiles[0].contents, mangleCache: result.mangleCache };
}

// First pass: the renaming. Then the lazy modules, named by the hash of them all, and the
// bundle that knows that name (the same renaming, pinned by the cache).
let { mangleCache } = await buildBundle('', {});
const later = {};
for (const lang of LAZY_LANGUAGES) {
  ({ code: later[lang], mangleCache } = await buildLater(lang, mangleCache));
}
const hash = createHash('sha256');
for (const lang of LAZY_LANGUAGES) hash.update(later[lang]);
const lazyName = `.${hash.digest('hex').slice(0, 10)}.js`;
const { code } = await buildBundle(lazyName, mangleCache);

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const bundlePath = join(outdir, 'widget.js');
writeFileSync(bundlePath, code);
for (const lang of LAZY_LANGUAGES) writeFileSync(join(outdir, lang + lazyName), later[lang]);

const checked = runChecks(
  [
    {
      checkBrowser: true,
      checkFeatures: true,
      browserslistQuery: browserslist.join(', '),
      files: [bundlePath],
    },
  ],
  {},
);
if (!checked.success) {
  const found = checked.errors.map((error) => error.err.message);
  console.error(`below the browser baseline: ${found.join('; ')}`);
  process.exit(1);
}

let over = false;
for (const name of readdirSync(outdir).sort()) {
  const body = readFileSync(join(outdir, name));
  const gzip = gzipSync(body, { level: 9 });
  const brotli = brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
  writeFileSync(join(outdir, `${name}.gz`), gzip);
  writeFileSync(join(outdir, `${name}.br`), brotli);
  console.log(`${name}: ${body.length} B raw, ${gzip.length} gzip -9, ${brotli.length} brotli 11`);
  const budget = name === 'widget.js' ? GZIP_BUDGET : LAZY_GZIP_BUDGET;
  if (gzip.length > budget) {
    console.error(`over budget: ${name} gzip -9 ${gzip.length} > ${budget} bytes`);
    over = true;
  }
}
if (over) process.exit(1);
