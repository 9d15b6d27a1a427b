import type { JobStep } from 'projen/lib/github/workflows-model';
import { CLI } from './steps';

/**
 * GitHub secrets of each operations GitHub environment that drift reads Harbor's GC
 * schedule with: a system robot account whose only permission is read on
 * garbage-collection (the operations role cannot read the admin password). Unset, drift
 * reports the schedule as not checked.
 */
export const HARBOR_DRIFT_ROBOT_SECRETS = { username: 'HARBOR_DRIFT_ROBOT_NAME', password: 'HARBOR_DRIFT_ROBOT_SECRET' };

/** The Secret holding Harbor's admin password and its key (packages/config's HARBOR_SECRETS, through the plans). */
export interface HarborAdminSecret {
  readonly name: string;
  readonly key: string;
}

/** Harbor's URL and namespace from the resolveTarget step's outputs. */
const harborTarget = { HP_HARBOR_URL: '${{ steps.target.outputs.harbor-url }}', HP_HARBOR_NS: '${{ steps.target.outputs.harbor-namespace }}' };

/** Reads Harbor's admin password from its Secret into `$password`, masked in the log. */
function readAdminPassword(secret: HarborAdminSecret): string[] {
  return [
    `password="$(kubectl get secret -n "$HP_HARBOR_NS" ${secret.name} -o jsonpath='{.data.${secret.key}}' | base64 -d)"`,
    'echo "::add-mask::$password"',
  ];
}

/**
 * Waits, bounded (HP_DNS_WAIT_SECONDS, 900 s), until ExternalDNS has written Harbor's A record
 * in the environment's zone, read through the Route 53 API: a name looked up before the record
 * exists is cached as "no such name" for the zone's negative TTL (SOA, 900 s by default), so
 * smoke must not be the first to ask.
 * @see https://docs.aws.amazon.com/cli/latest/reference/route53/list-resource-record-sets.html
 */
export function waitForHarborRecord(env: string): JobStep {
  return {
    name: `Wait for ${env}'s Harbor DNS record (ExternalDNS)`,
    env: { HP_HOSTNAME: '${{ steps.target.outputs.harbor-hostname }}', HP_ZONE_ID: '${{ steps.target.outputs.hosted-zone-id }}' },
    run: [
      'deadline=$((SECONDS + ${HP_DNS_WAIT_SECONDS:-900}))',
      'query="ResourceRecordSets[?Name==\'${HP_HOSTNAME}.\' && Type==\'A\'] | length(@)"',
      // A refused or failed call stops the step at once (bash -e); only a missing record waits.
      'while :; do',
      '  count="$(aws route53 list-resource-record-sets --hosted-zone-id "$HP_ZONE_ID" --start-record-name "$HP_HOSTNAME" --start-record-type A --max-items 1 --query "$query" --output text)"',
      '  [ "$count" = 1 ] && break',
      '  if [ "$SECONDS" -ge "$deadline" ]; then',
      '    echo "::error::no A record for $HP_HOSTNAME in hosted zone $HP_ZONE_ID after ${HP_DNS_WAIT_SECONDS:-900} s: see ExternalDNS\'s log (kubectl logs -n external-dns deployment/external-dns)" >&2',
      '    exit 1',
      '  fi',
      '  echo "waiting for ExternalDNS to write $HP_HOSTNAME in $HP_ZONE_ID"',
      '  sleep "${HP_DNS_WAIT_INTERVAL:-15}"',
      'done',
      'echo "$HP_HOSTNAME has its A record in $HP_ZONE_ID"',
    ].join('\n'),
  };
}

/** Push, pull and delete a generated image through the environment's public Harbor URL. */
export function smoke(env: string, secret: HarborAdminSecret): JobStep {
  return {
    name: `Smoke test ${env}'s Harbor`,
    env: harborTarget,
    run: [...readAdminPassword(secret), `HARBOR_PLATFORM_REGISTRY_USERNAME=admin HARBOR_PLATFORM_REGISTRY_PASSWORD="$password" ${CLI} smoke --registry "$HP_HARBOR_URL"`].join('\n'),
  };
}

/**
 * Sets Harbor's garbage-collection schedule to the config's through Harbor's API (no chart
 * value carries it), after the smoke test has shown Harbor answers; a schedule changed by
 * hand is set back on every deploy.
 */
export function harborGc(env: string, secret: HarborAdminSecret): JobStep {
  return {
    name: `Apply ${env}'s garbage-collection schedule to Harbor`,
    env: { ...harborTarget, HP_ENV: env },
    run: [...readAdminPassword(secret), `HARBOR_PLATFORM_HARBOR_USERNAME=admin HARBOR_PLATFORM_HARBOR_PASSWORD="$password" ${CLI} harbor-gc --env "$HP_ENV" --harbor-url "$HP_HARBOR_URL"`].join('\n'),
  };
}
