import type { DataPath, DataTargets, RegistryCopyRef, VerifyOutcome } from './data-path.js';
import { StepFailure } from './runner.js';

/** What filling the empty bucket copied. */
export interface Filled {
  readonly objects: number;
  readonly bytes: number;
}

/** The data path failed at one step; what it got done so far comes along. */
export class DataPathFailure extends StepFailure<'fill-minio' | 'verify'> {
  constructor(readonly step: 'fill-minio' | 'verify', message: string, readonly filled?: Filled, readonly verify?: VerifyOutcome) {
    super(message, step);
    this.name = 'DataPathFailure';
  }
}

export interface FillAndVerifyOptions {
  /** Checked after the fill: a reason to stop (the run's deadline has passed) or false. @default never overdue */
  readonly overdue?: () => string | false;
  /** Fill the bucket first; false verifies the registry as it is (its MinIO was not restored). @default true */
  readonly fill?: boolean;
}

/**
 * The registry half of the drill and of the restore, and of the local rehearsal of both: fill
 * the empty bucket from the copy (as registry-restore does), then verify the registry that
 * serves that bucket against the copy's inventory.
 * @returns the objects and bytes copied (absent when `fill` is false) and the verify outcome
 * @throws DataPathFailure at `fill-minio` or `verify`, naming every missing or changed digest (the first 20)
 */
export async function fillAndVerify(
  data: DataPath,
  copy: RegistryCopyRef,
  targets: DataTargets,
  progress: (l: string) => void,
  options: FillAndVerifyOptions = {},
): Promise<{ filled?: Filled; verify: VerifyOutcome }> {
  let filled: Filled | undefined;
  if (options.fill ?? true) {
    progress('filling the empty bucket from the registry-data copy');
    try {
      const result = await data.restoreCopy(copy, targets.s3);
      filled = { objects: result.objects, bytes: result.bytes };
      if (result.missing.length || result.failed.length) {
        const what = [...result.missing.map((m) => `missing from the copy: blob ${m}`), ...result.failed.map((f) => `not copied: ${f.key} (${f.reason})`)];
        throw new DataPathFailure('fill-minio', `the registry-data copy could not be restored: ${what.slice(0, 20).join('; ')}`, filled);
      }
    } catch (err) {
      if (err instanceof DataPathFailure) throw err;
      throw new DataPathFailure('fill-minio', (err as Error).message, filled);
    }
    const late = options.overdue?.();
    if (late) throw new DataPathFailure('fill-minio', late, filled);
  }
  progress('verifying the restored registry against the inventory');
  let verify: VerifyOutcome;
  try {
    verify = await data.verify(copy, targets.registry);
  } catch (err) {
    throw new DataPathFailure('verify', (err as Error).message, filled);
  }
  if (!verify.ok) throw new DataPathFailure('verify', [verify.summary, ...verify.problems.slice(0, 20)].join('; '), filled, verify);
  return { filled, verify };
}
