import { writeFileSync } from 'node:fs';
import { environmentJsonSchema } from './json-schema.js';

// Writes the editor schema: `node lib/json-schema-cli.js <out.json>`.
const out = process.argv[2];
if (!out) {
  console.error('usage: json-schema-cli <out.json>');
  process.exit(2);
}
writeFileSync(out, JSON.stringify(environmentJsonSchema(), null, 2) + '\n');
