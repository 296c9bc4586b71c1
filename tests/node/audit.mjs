// Runs graphql-http's server audits (the reference suite of the GraphQL over HTTP
// specification) against one endpoint. Fails on any error, and on any warning that is not
// listed as allowed for that endpoint.
//
//   node audit.mjs <url> [allowed-warning-id ...]
import { serverAudits } from 'graphql-http';

const [url, ...allowed] = process.argv.slice(2);
if (!url) {
  console.error('usage: node audit.mjs <url> [allowed-warning-id ...]');
  process.exit(2);
}
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
let failed = false;
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  counts[result.status] = (counts[result.status] ?? 0) + 1;
  if (result.status === 'error' || (result.status === 'warn' && !allowed.includes(audit.id))) {
    failed = true;
    console.log(`${result.status.toUpperCase()} ${audit.id} ${audit.name}: ${result.reason}`);
  } else if (result.status === 'warn') {
    console.log(`allowed WARN ${audit.id} ${audit.name}`);
  }
}
console.log(`${url}: ${JSON.stringify(counts)}`);
process.exit(failed ? 1 : 0);
