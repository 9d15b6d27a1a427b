import { DNS_1123_LABEL as NAMESPACE } from '@harbor-platform/config';
import { UsageError } from '../cli/command.js';
import { reportOptions } from '../cli/report-args.js';

/** Parses `--namespaces harbor,minio`, refusing anything that is not a namespace name. */
export function parseNamespaces(value: string): string[] {
  const list = [...new Set(value.split(',').map((s) => s.trim()).filter(Boolean))];
  if (!list.length) throw new UsageError('--namespaces needs at least one namespace, such as "harbor,minio"');
  const bad = list.filter((ns) => !NAMESPACE.test(ns));
  if (bad.length) throw new UsageError(`--namespaces: "${bad.join('", "')}" is not a Kubernetes namespace name`);
  return list;
}

/** `--report` and `--report-file` of `restore`, with the variables they read. */
export const RESTORE_REPORT = reportOptions("file the result on the environment's restore issue (needs GITHUB_TOKEN or GH_TOKEN)");

/** The options of `restore` (its declaration is in restore.ts; restore-run.ts reads the values). */
export const RESTORE_OPTIONS = {
  env: { type: 'string', placeholder: '<name>', required: true, description: 'the environment to restore (environments/<name>.yaml)' },
  backup: { type: 'string', placeholder: '<name>', required: true, description: 'the Velero backup to restore' },
  namespaces: { type: 'string', placeholder: '<list>', required: true, description: 'comma-separated namespaces, such as harbor,minio' },
  confirm: { type: 'string', placeholder: '<name>', required: true, description: 'the environment name again' },
  ...RESTORE_REPORT.options,
} as const;
