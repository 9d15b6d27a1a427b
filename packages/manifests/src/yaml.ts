import { stringify } from 'yaml';

/** YAML for Helm values and reports: no anchors or aliases, long strings kept on one line. */
export function toYaml(value: unknown): string {
  return stringify(value, { aliasDuplicateObjects: false, lineWidth: 0 });
}
