import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRepoRoot } from '../src/index.js';

// The README's component map names, per platform part, the files of each layer: every path it
// names must exist, so that a moved or renamed file fails here instead of leaving the map stale.
const root = findRepoRoot(import.meta.dirname)!;
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The map's rows as cells, the header first. */
function mapTable(): string[][] {
  const section = readme.split(/^## Component map$/m)[1]?.split(/^## /m)[0] ?? '';
  return section
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|[-| ]+\|$/.test(l))
    .map((l) => l.slice(1, -1).split('|').map((c) => c.trim()));
}

const code = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

describe('README component map', () => {
  const [header, ...rows] = mapTable();
  const folders = header!.map((c) => code(c)[0]);

  it('has a row for each platform part the issue names and a folder per layer', () => {
    expect(rows.map((r) => r[0])).toEqual(expect.arrayContaining(['MinIO', 'Harbor', 'Velero', 'LDAP', 'GitHub', 'ExternalDNS', 'External Secrets', 'Images']));
    expect(folders.slice(1)).toEqual(['packages/config/src/', 'packages/infra/src/', 'packages/manifests/src/', 'packages/ops/src/']);
  });

  it.each(rows.map((r) => [r[0]!, r] as const))('names only paths that exist: %s', (_part, row) => {
    const paths = row.slice(1).flatMap((cell, i) => code(cell).map((p) => join(folders[i + 1]!, p)));
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((p) => !existsSync(join(root, p)))).toEqual([]);
  });

  it('names only existing paths below the table', () => {
    const after = readme.split(/^## Component map$/m)[1]!.split(/^## /m)[0]!.split('\n').filter((l) => !l.startsWith('|')).join('\n');
    const paths = code(after).filter((p) => p.includes('/'));
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((p) => !existsSync(join(root, p)))).toEqual([]);
  });
});
