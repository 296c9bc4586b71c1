// Every GraphQL example in the README and docs/ is validated against the schema it is written for: the blocks
// fenced as `graphql` and the queries of `curl … -d '{"query": …}'` commands. An example valid
// against neither schema.graphql nor admin.graphql fails the check, with its file and line.
//
//   node docs-examples.mjs <repository root>
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildSchema, parse, validate } from 'graphql';

const root = process.argv[2] ?? '.';
const schemas = {
  storefront: buildSchema(readFileSync(join(root, 'schema.graphql'), 'utf8')),
  admin: buildSchema(readFileSync(join(root, 'admin.graphql'), 'utf8')),
};

function markdownFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

function lineOf(text, index) {
  return text.slice(0, index).split('\n').length;
}

/** The examples of one file: `{ line, source }`. */
function examples(text) {
  const found = [];
  for (const m of text.matchAll(/```graphql\n([\s\S]*?)```/g)) {
    found.push({ line: lineOf(text, m.index) + 1, source: m[1] });
  }
  // The JSON body of a curl command: -d '{…}' (single-quoted, so no single quote inside but a
  // shell variable spliced in as '"$NAME"', which stands for a value here: 0 fits a number and,
  // between the quotes of a string, a string).
  for (const m of text.matchAll(/-d\s+'(\{(?:[^']|'"\$\w+"')*\})'/g)) {
    let body;
    try {
      body = JSON.parse(m[1].replaceAll(/'"\$\w+"'/g, '0'));
    } catch {
      found.push({ line: lineOf(text, m.index), error: 'the -d body is not JSON' });
      continue;
    }
    if (typeof body.query === 'string') found.push({ line: lineOf(text, m.index), source: body.query });
  }
  return found;
}

let checked = 0;
const failures = [];
for (const file of [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))]) {
  const text = readFileSync(file, 'utf8');
  for (const example of examples(text)) {
    const where = `${relative(root, file)}:${example.line}`;
    if (example.error) {
      failures.push(`${where}: ${example.error}`);
      continue;
    }
    let document;
    try {
      document = parse(example.source);
    } catch (error) {
      failures.push(`${where}: ${error.message}`);
      continue;
    }
    // A block may show several operations; each must be valid on one of the endpoints.
    for (const definition of document.definitions) {
      checked++;
      const single = { kind: 'Document', definitions: [definition] };
      const errors = Object.values(schemas).map((schema) => validate(schema, single));
      if (errors.every((e) => e.length > 0)) {
        const [storefront, admin] = errors;
        failures.push(`${where}: storefront: ${storefront[0].message} | admin: ${admin[0].message}`);
      }
    }
  }
}
for (const failure of failures) console.log(failure);
console.log(`docs examples: ${checked} operations checked, ${failures.length} invalid`);
process.exit(failures.length ? 1 : 0);
