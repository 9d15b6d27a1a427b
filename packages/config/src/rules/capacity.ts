import { azCapacity } from '../capacity.js';
import type { Problem } from '../problems.js';
import type { EnvironmentConfig } from '../schema/environment.js';

/**
 * Each AZ's node group must hold, at its minimum, every pod that must run there with a
 * node of its own (capacity.ts): no autoscaler adds nodes, so what does not fit stays
 * Pending, and a Pending MinIO server of the drill fails the drill.
 */
export function capacityProblems(c: EnvironmentConfig): Problem[] {
  const ng = c.cluster.nodeGroups;
  const cap = azCapacity(c);
  const [live] = cap.claims;
  if (!live || ng.minPerAz < 1) return []; // minPerAz 0 has its own problem.
  const size = (n: { cpuMilli: number; memoryMiB: number }) => `${n.cpuMilli}m CPU and ${n.memoryMiB} MiB`;
  if (cap.claimsPerNode < 1) {
    return [{
      path: 'minio.resources.requests',
      message: `one MinIO server requests ${size(live.requests)}, more than ${withArticle(cap.node!.instanceType)} node offers to pods (${size(cap.node!)}), so it never schedules`,
      fix: 'choose larger cluster.nodeGroups.instanceTypes or lower the requests',
    }];
  }
  if (ng.minPerAz >= cap.nodesNeeded) return [];
  const what = cap.claims.map((x) => `${x.perAz} ${x.workload}`).join(' and ');
  const shared =
    cap.claims.length < 2 ? ''
      : cap.claimsPerNode >= cap.claims.length ? ', even with a live and a drill server sharing each node'
        : cap.node ? `; ${withArticle(cap.node.instanceType)} node (${size(cap.node)} for pods) cannot hold a live and a drill server (${size(live.requests)} each) together`
          : `; the size of ${ng.instanceTypes.join('/')} is not known, so a live and a drill server are not put on one node`;
  const missing = cap.nodesNeeded - ng.minPerAz;
  const nodes = (n: number) => `${n} node${n === 1 ? '' : 's'}`;
  return [{
    path: 'cluster.nodeGroups.minPerAz',
    message: `${nodes(ng.minPerAz)} per AZ cannot hold ${what}, each on a node of its own (${live.because})${shared}, so ${missing === 1 ? '1 more node per AZ is' : `${missing} more nodes per AZ are`} needed, and without ${missing === 1 ? 'it' : 'them'} servers stay Pending (no autoscaler adds nodes)`,
    fix: `raise minPerAz and desiredPerAz to at least ${cap.nodesNeeded}${cap.claimsPerNode < cap.claims.length ? ', or use instance types that hold a live and a drill server together' : ''}`,
  }];
}

/** "an m6i.large", "a c6i.large": the article as the name is read aloud, letter by letter ("em-six-i"). */
function withArticle(instanceType: string): string {
  return `${/^[aefhilmnorsx]/i.test(instanceType) ? 'an' : 'a'} ${instanceType}`;
}
