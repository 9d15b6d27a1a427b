/**
 * Reads the MinIO layout back from synthesized objects alone: which drive sits on
 * which server in which AZ, in the order `minio server` will see them. The tests
 * compare this with the plan, so a StatefulSet name, replica count, zone affinity
 * or command line that drifts from the plan is caught.
 */

export interface Endpoint {
  readonly host: string;
  readonly drive: string;
  readonly statefulSet: string;
  readonly zone: string;
}

/** MinIO's `{a...b}` expansion of one argument; the leftmost pattern varies fastest. */
export function expandEllipses(arg: string): string[] {
  const parts = arg.split(/(\{\d+\.\.\.\d+\})/);
  const choices = parts.map((p) => {
    const m = /^\{(\d+)\.\.\.(\d+)\}$/.exec(p);
    if (!m) return [p];
    const out: string[] = [];
    for (let i = Number(m[1]); i <= Number(m[2]); i++) out.push(String(i));
    return out;
  });
  // Each part further right becomes the outer loop, so parts further left vary faster.
  let results = [''];
  for (let i = 0; i < choices.length; i++) {
    const next: string[] = [];
    for (const c of choices[i]!) for (const r of results) next.push(r + c);
    results = next;
  }
  return results;
}

/** The pool arguments of the MinIO container's command line. */
export function poolArguments(statefulSet: any): string[] {
  const args: string[] = statefulSet.spec.template.spec.containers[0].args;
  expectEqual(args[0], 'server');
  const end = args.findIndex((a) => a.startsWith('--'));
  return args.slice(1, end);
}

/** Every endpoint of every pool, resolved to a StatefulSet and its AZ through the synthesized objects. */
export function endpointsByPool(objects: any[]): Endpoint[][] {
  const sets = objects.filter((o) => o.kind === 'StatefulSet');
  const hosts = new Map<string, { statefulSet: any; zone: string }>();
  for (const s of sets) {
    const zone = s.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0];
    expectEqual(zone.key, 'topology.kubernetes.io/zone');
    for (let i = 0; i < s.spec.replicas; i++) hosts.set(`${s.metadata.name}-${i}`, { statefulSet: s, zone: zone.values[0] });
  }
  const args = poolArguments(sets[0]);
  for (const s of sets) expectEqual(JSON.stringify(poolArguments(s)), JSON.stringify(args));
  return args.map((arg) =>
    expandEllipses(arg).map((url) => {
      const u = new URL(url);
      const host = u.hostname.split('.')[0]!;
      const found = hosts.get(host);
      if (!found) throw new Error(`${url}: no StatefulSet pod named ${host}`);
      const drive = u.pathname.slice(1);
      const mounts = found.statefulSet.spec.template.spec.containers[0].volumeMounts.map((m: any) => m.mountPath);
      const claims = found.statefulSet.spec.volumeClaimTemplates.map((t: any) => t.metadata.name);
      if (!mounts.includes(`/${drive}`) || !claims.includes(drive)) throw new Error(`${url}: /${drive} is not a claimed drive of ${found.statefulSet.metadata.name}`);
      return { host, drive, statefulSet: found.statefulSet.metadata.name, zone: found.zone };
    }),
  );
}

function expectEqual(a: unknown, b: unknown): void {
  if (a !== b) throw new Error(`expected ${String(b)}, got ${String(a)}`);
}
