// Runs the guides' shell examples, in the order a reader meets them (the README's list), against
// a fresh server, as one shell session: a variable one example sets (TOKEN) is there for the next.
// An example fails the run when a command fails or a GraphQL answer carries top-level `errors`.
//
//   node tests/node/guides.mjs <repository root> <server base URL>
//
// Examples address http://127.0.0.1:8080 (and the metrics listener at http://127.0.0.1:9464) and run
// `clientele` (or `cargo run --`); the run points them at <server base URL> (and $GUIDES_METRICS)
// and the `clientele` on PATH. An HTML comment on the line before an
// example changes how it runs:
//   <!-- guide: skip (why) -->   not run (it needs something the run cannot give, or undoes it)
//   <!-- guide: errors -->       shows a refusal: its answers must carry `errors`
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [root, base] = process.argv.slice(2);
if (!root || !base) {
  console.error('usage: node guides.mjs <repository root> <server base URL>');
  process.exit(2);
}

/** The guides, in the order the README lists them after its own first steps. */
function readingOrder() {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const linked = [...readme.matchAll(/^- \[[^\]]+\]\((docs\/[^)]+\.md)\)/gm)].map((m) => m[1]);
  return ['README.md', ...linked];
}

/** The shell examples of a guide, with how each is to run. */
function examples(file) {
  const lines = readFileSync(path.join(root, file), 'utf8').split('\n');
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(sh|bash)\s*$/.test(lines[i])) continue;
    const start = i;
    const body = [];
    for (i++; i < lines.length && !lines[i].startsWith('```'); i++) body.push(lines[i]);
    let before = start - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    const note = (lines[before] ?? '').match(/^<!-- guide: (skip|errors)\b.*-->$/);
    found.push({ where: `${file}:${start + 1}`, mode: note?.[1] ?? 'run', body: body.join('\n') });
  }
  return found;
}

const prelude = String.raw`
set -eo pipefail
shopt -s inherit_errexit
__WHERE=""
__EXPECT=""
trap 'echo "FAILED at $__WHERE (exit $?)" >&2' ERR
# Every curl of an example: its output is shown, and the answer must match the example's
# expectation: an HTTP status below 400 and no top-level GraphQL errors, or errors where the
# example shows a refusal.
curl() {
  local out fail=--fail-with-body
  if [ "$__EXPECT" = errors ]; then fail=--show-error; fi
  out="$(command curl --silent --show-error --max-time 60 "$fail" "$@")" || {
    [ -n "$out" ] && printf '%s\n' "$out" >&2
    echo "FAILED at $__WHERE: curl $*" >&2
    return 1
  }
  if [ -n "$out" ]; then printf '%s\n' "$out"; fi
  local has_errors
  has_errors="$(printf '%s' "$out" | jq -r 'if type == "object" then has("errors") else "none" end' 2>/dev/null || echo none)"
  if [ "$__EXPECT" = errors ] && [ "$has_errors" = false ]; then
    echo "FAILED at $__WHERE: the example shows a refusal, the answer has none: $out" >&2
    return 1
  fi
  if [ "$__EXPECT" != errors ] && [ "$has_errors" = true ]; then
    echo "FAILED at $__WHERE: $out" >&2
    return 1
  fi
}
`;

const script = [prelude];
let run = 0;
let skipped = 0;
for (const file of readingOrder()) {
  for (const example of examples(file)) {
    if (example.mode === 'skip') {
      skipped++;
      continue;
    }
    run++;
    const body = example.body
      .replaceAll('http://127.0.0.1:8080', base)
      .replaceAll('http://127.0.0.1:9464', process.env.GUIDES_METRICS ?? 'http://127.0.0.1:9464')
      .replaceAll('cargo run -- ', 'clientele ');
    script.push(
      `__WHERE=${JSON.stringify(example.where)}; __EXPECT=${example.mode}`,
      `printf '\\n== %s\\n' "$__WHERE"`,
      body,
    );
  }
}
script.push('echo', `echo "guides: ${run} examples ran in reading order, ${skipped} skipped"`);

const result = spawnSync('bash', ['-c', script.join('\n')], {
  stdio: 'inherit',
  cwd: process.env.GUIDES_WORKDIR ?? process.cwd(),
  env: process.env,
});
process.exit(result.status ?? 1);
