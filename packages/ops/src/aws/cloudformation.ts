import {
  CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DetectStackDriftCommand,
  GetTemplateCommand,
  type StackResourceDrift,
} from '@aws-sdk/client-cloudformation';

/** One resource that no longer matches its template. */
export interface ResourceDrift {
  readonly logicalId: string;
  readonly physicalId?: string;
  readonly type: string;
  /** MODIFIED or DELETED. */
  readonly status: string;
  /** Property paths that differ, such as `/Properties/VersioningConfiguration/Status`. */
  readonly properties: { path: string; expected?: string; actual?: string; change?: string }[];
}

/** What CloudFormation's drift detection said about one stack. */
export type StackDriftResult =
  | { readonly stack: string; readonly outcome: 'in-sync' }
  | { readonly stack: string; readonly outcome: 'drifted'; readonly resources: ResourceDrift[] }
  /** Detection could not run or did not finish: an error, never drift. */
  | { readonly stack: string; readonly outcome: 'failed'; readonly reason: string };

/** The CloudFormation calls drift needs. */
export interface StackInspector {
  detectDrift(stack: string): Promise<StackDriftResult>;
  /** The template as deployed (TemplateStage Original), or undefined when the stack does not exist. */
  deployedTemplate(stack: string): Promise<string | undefined>;
}

export interface CloudFormationInspectorProps {
  /** @default new CloudFormationClient({ region }) */
  readonly client?: CloudFormationClient;
  readonly region?: string;
  /** Upper bound of one stack's detection. @default 600_000 (10 minutes) */
  readonly timeoutMs?: number;
  /** Between two status polls. @default 5_000 */
  readonly pollMs?: number;
  /** @default setTimeout-based */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Progress lines while waiting. */
  readonly progress?: (line: string) => void;
}

const sleepMs = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** DetectStackDrift, then DescribeStackDriftDetectionStatus until done, then DescribeStackResourceDrifts. */
export class CloudFormationInspector implements StackInspector {
  private readonly client: CloudFormationClient;
  private readonly timeoutMs: number;
  private readonly pollMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly props: CloudFormationInspectorProps = {}) {
    this.client = props.client ?? new CloudFormationClient({ region: props.region });
    this.timeoutMs = props.timeoutMs ?? 600_000;
    this.pollMs = props.pollMs ?? 5_000;
    this.sleep = props.sleep ?? sleepMs;
  }

  async detectDrift(stack: string): Promise<StackDriftResult> {
    let detectionId: string | undefined;
    try {
      detectionId = (await this.client.send(new DetectStackDriftCommand({ StackName: stack }))).StackDriftDetectionId;
    } catch (err) {
      return { stack, outcome: 'failed', reason: `DetectStackDrift: ${errorText(err)}` };
    }
    if (!detectionId) return { stack, outcome: 'failed', reason: 'DetectStackDrift returned no detection id' };

    const polls = Math.max(1, Math.ceil(this.timeoutMs / this.pollMs));
    for (let i = 0; i < polls; i++) {
      const status = await this.client.send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: detectionId }));
      if (status.DetectionStatus === 'DETECTION_FAILED') {
        return { stack, outcome: 'failed', reason: `drift detection failed: ${status.DetectionStatusReason ?? 'no reason given'}` };
      }
      if (status.DetectionStatus === 'DETECTION_COMPLETE') {
        if (status.StackDriftStatus === 'IN_SYNC') return { stack, outcome: 'in-sync' };
        if (status.StackDriftStatus === 'DRIFTED') return { stack, outcome: 'drifted', resources: await this.resourceDrifts(stack) };
        return { stack, outcome: 'failed', reason: `drift detection finished with status ${status.StackDriftStatus ?? 'none'}` };
      }
      this.props.progress?.(`  ${stack}: drift detection in progress (${Math.round(((i + 1) * this.pollMs) / 1000)}s)`);
      await this.sleep(this.pollMs);
    }
    return { stack, outcome: 'failed', reason: `drift detection did not finish within ${Math.round(this.timeoutMs / 1000)}s` };
  }

  private async resourceDrifts(stack: string): Promise<ResourceDrift[]> {
    const drifts: StackResourceDrift[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new DescribeStackResourceDriftsCommand({ StackName: stack, StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'], NextToken: token }),
      );
      drifts.push(...(page.StackResourceDrifts ?? []));
      token = page.NextToken;
    } while (token);
    return drifts.map((d) => ({
      logicalId: d.LogicalResourceId ?? '?',
      physicalId: d.PhysicalResourceId,
      type: d.ResourceType ?? '?',
      status: d.StackResourceDriftStatus ?? '?',
      properties: (d.PropertyDifferences ?? []).map((p) => ({ path: p.PropertyPath ?? '?', expected: p.ExpectedValue, actual: p.ActualValue, change: p.DifferenceType })),
    }));
  }

  async deployedTemplate(stack: string): Promise<string | undefined> {
    try {
      return (await this.client.send(new GetTemplateCommand({ StackName: stack, TemplateStage: 'Original' }))).TemplateBody;
    } catch (err) {
      if (/does not exist/.test(errorText(err))) return undefined;
      throw err;
    }
  }
}

function errorText(err: unknown): string {
  const e = err as { name?: string; message?: string };
  return [e?.name, e?.message].filter(Boolean).join(': ') || String(err);
}
