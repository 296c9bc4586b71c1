// Bundles the IDE into ../assets/ide: ide.js, ide.css and licenses.txt, the licences of every
// package the bundle holds. The server embeds these files; nothing is loaded from other hosts.
import { build } from 'esbuild';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The licence text of a package that names its licence but ships no file of it. */
function licenceOf(manifest, licence) {
  if (licence !== 'MIT') return `Licensed under ${licence}; the package ships no licence file.`;
  const author = typeof manifest.author === 'string' ? manifest.author : manifest.author?.name;
  return `${MIT.replace('<holder>', author ?? `the ${manifest.name} authors`)}\n(The package names MIT in package.json and ships no licence file.)`;
}

const MIT = `MIT License

Copyright (c) <holder>

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT
OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.`;

const out = path.resolve('../assets/ide');
await mkdir(out, { recursive: true });
const result = await build({
  entryPoints: { ide: 'src/main.jsx' },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  outdir: out,
  metafile: true,
  legalComments: 'none',
  loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.svg': 'dataurl' },
  define: { 'process.env.NODE_ENV': '"production"' },
  jsx: 'automatic',
  logLevel: 'info',
});

// Every package with a file in the bundle, named by the nearest package.json above the file.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) continue;
  const rest = input.slice(at + 'node_modules/'.length).split('/');
  const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  const dir = input.slice(0, at) + 'node_modules/' + name;
  packages.set(name, dir);
}
const sections = [];
for (const [name, dir] of [...packages].sort(([a], [b]) => a.localeCompare(b))) {
  const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
  const files = (await readdir(dir)).filter((f) => /^(licen[cs]e|copying)/i.test(f));
  const texts = await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')));
  const licence = typeof manifest.license === 'string' ? manifest.license : 'see text';
  const body = texts.length ? texts.join('\n') : licenceOf(manifest, licence);
  sections.push(`${name} ${manifest.version} (${licence})\n${'-'.repeat(72)}\n${body.trim()}\n`);
}
const header =
  'The GraphQL IDE that Clientele serves is built from these packages, under these licences.\n\n';
await writeFile(path.join(out, 'licenses.txt'), header + sections.join('\n'));
console.log(`${packages.size} packages; licences in ${path.join(out, 'licenses.txt')}`);
