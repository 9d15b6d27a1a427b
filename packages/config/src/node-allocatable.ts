/**
 * What one EKS node offers pods: the instance's vCPUs and memory less what the EKS
 * AMI reserves for the kubelet and the system.
 *
 * Sizes follow EC2's naming for the general purpose (m), compute (c) and memory (r)
 * families of generation 5 and later: `medium` 1 vCPU, `large` 2, `xlarge` 4,
 * `Nxlarge` 4N; memory 4 GiB per vCPU for m, 2 for c, 8 for r. Other names (t3,
 * flex, metal, ...) are not sized: the capacity check then assumes one pod of a
 * kind per node.
 * @see https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html
 * @see https://docs.aws.amazon.com/ec2/latest/instancetypes/co.html
 * @see https://docs.aws.amazon.com/ec2/latest/instancetypes/mo.html
 *
 * Reserved (the EKS AMI's kubelet defaults): kube-reserved memory 255 MiB + 11 MiB per
 * pod the node may run, eviction threshold 100 MiB; kube-reserved CPU 6% of the first
 * core, 1% of the second, 0.5% of the third and fourth, 0.25% of every further core.
 * Pods per node are taken as 110 (the most EKS sets), so the memory reserved is never
 * understated. DaemonSets' requests are not counted: the check is a floor.
 * @see https://github.com/awslabs/amazon-eks-ami/blob/main/templates/shared/runtime/bootstrap.sh (kube-reserved)
 */
export interface NodeAllocatable {
  readonly instanceType: string;
  readonly cpuMilli: number;
  readonly memoryMiB: number;
}

const MEMORY_GIB_PER_VCPU: Record<string, number> = { m: 4, c: 2, r: 8 };
const MAX_PODS = 110;

/** vCPUs and memory (MiB) of an instance type named as EC2 names m, c and r of generation 5+, or undefined. */
export function instanceSize(instanceType: string): { vcpus: number; memoryMiB: number } | undefined {
  const m = /^([mcr])([5-9])[a-z]*\.(medium|large|xlarge|(\d+)xlarge)$/.exec(instanceType);
  if (!m) return undefined;
  const vcpus = m[3] === 'medium' ? 1 : m[3] === 'large' ? 2 : m[3] === 'xlarge' ? 4 : 4 * Number(m[4]);
  return { vcpus, memoryMiB: vcpus * MEMORY_GIB_PER_VCPU[m[1]!]! * 1024 };
}

/** What a node of `instanceType` offers pods, or undefined when its size is not known. */
export function nodeAllocatable(instanceType: string): NodeAllocatable | undefined {
  const size = instanceSize(instanceType);
  if (!size) return undefined;
  const cores = size.vcpus;
  const reservedCpu = 60 + (cores > 1 ? 10 : 0) + 5 * Math.min(Math.max(cores - 2, 0), 2) + 2.5 * Math.max(cores - 4, 0);
  const reservedMemory = 255 + 11 * MAX_PODS + 100;
  return { instanceType, cpuMilli: cores * 1000 - reservedCpu, memoryMiB: size.memoryMiB - reservedMemory };
}

/** Millicores of a Kubernetes CPU quantity ("2", "0.5", "500m"). */
export function cpuMilli(q: string): number {
  return q.endsWith('m') ? Number(q.slice(0, -1)) : Math.round(Number(q) * 1000);
}

/** MiB of a Kubernetes memory quantity ("512Mi", "8Gi"). */
export function memoryMiB(q: string): number {
  return q.endsWith('Gi') ? Number(q.slice(0, -2)) * 1024 : Number(q.slice(0, -2));
}
