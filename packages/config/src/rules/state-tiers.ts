import type { Problem, Warning } from '../problems.js';
import type { EnvironmentConfig, ZonalState } from '../schema/environment.js';
import { zonalState } from '../state-tiers.js';

/** How each zonal piece of state becomes Multi-AZ, as a config change. */
const MULTI_AZ_FIX: Record<ZonalState, string> = {
  database: 'use an external Multi-AZ database (harbor.database: { type: external, multiAz: true, ... })',
  redis: 'use an external Multi-AZ Redis (harbor.redis: { type: external, multiAz: true, ... })',
};

/**
 * An environment that asks MinIO to keep reading and writing through the loss of an AZ
 * (`minio.tolerateZoneLoss: readWrite`) promises a registry that does; Harbor's
 * database and Redis held in one AZ break that promise. So each zonal one is refused
 * unless `harbor.acceptZonalState` names it, and every accepted gap is reported.
 */
export function checkStateTiers(c: EnvironmentConfig, problems: Problem[], warnings: Warning[]): void {
  const zonal = zonalState(c);
  const accepted = c.harbor.acceptZonalState;
  accepted.forEach((name, i) => {
    if (accepted.indexOf(name) !== i) {
      problems.push({ path: `harbor.acceptZonalState[${i}]`, message: `names "${name}" twice`, fix: 'name each once' });
    } else if (!zonal.includes(name)) {
      problems.push({
        path: `harbor.acceptZonalState[${i}]`,
        message: `accepts a zonal ${name}, but harbor.${name} is external and Multi-AZ`,
        fix: `remove "${name}" from the list`,
      });
    }
  });
  for (const name of zonal) {
    const what = describeZonal(c, name);
    if (accepted.includes(name) || c.minio.tolerateZoneLoss !== 'readWrite') {
      const why = accepted.includes(name) ? 'accepted in harbor.acceptZonalState' : `minio.tolerateZoneLoss is "${c.minio.tolerateZoneLoss}"`;
      warnings.push({ path: `harbor.${name}`, message: `${what}: Harbor stops while its AZ is down (${why})` });
    } else {
      problems.push({
        path: `harbor.${name}`,
        message: `${what}, so Harbor stops while its AZ is down although minio.tolerateZoneLoss is "readWrite"`,
        fix: `${MULTI_AZ_FIX[name]}, or accept the gap with harbor.acceptZonalState: [${name}]`,
      });
    }
  }
}

function describeZonal(c: EnvironmentConfig, name: ZonalState): string {
  const s = c.harbor[name];
  const label = name === 'database' ? 'PostgreSQL' : 'Redis';
  return s.type === 'internal' ? `internal ${label} is one pod on a zonal EBS volume` : `external ${label} is in a single AZ (multiAz: false)`;
}
