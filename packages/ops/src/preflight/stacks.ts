import { DescribeStacksCommand, type CloudFormationClient, type Stack } from '@aws-sdk/client-cloudformation';
import { isAwsError } from './aws-errors.js';

/**
 * Statuses of a stack whose resources are in place: a finished create, update or import, or
 * an update that rolled back to the last good state. Any other status (in progress, failed,
 * ROLLBACK_COMPLETE after a failed create) is not a deployed stack.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/view-stack-events.html#cfn-console-view-stack-data-resources-status-codes
 */
const DEPLOYED = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE', 'IMPORT_ROLLBACK_COMPLETE']);

export function isDeployed(status: string | undefined): boolean {
  return DEPLOYED.has(status ?? '');
}

/** The stack (DescribeStacks), or undefined when there is none of that name; other errors are thrown. */
export async function describeStack(client: CloudFormationClient, name: string): Promise<Stack | undefined> {
  try {
    return (await client.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0];
  } catch (err) {
    // CloudFormation's answer for a missing stack: ValidationError "Stack with id X does not exist".
    if (isAwsError(err, 'ValidationError', 'StackNotFoundException') && /does not exist/.test((err as Error).message ?? '')) return undefined;
    throw err;
  }
}

/** What to do about a stack in a status that is not deployed. */
export function undeployedAdvice(status: string, region: string, name: string): string {
  if (status === 'ROLLBACK_COMPLETE' || status.endsWith('_FAILED')) return `delete it (aws cloudformation delete-stack --region ${region} --stack-name ${name}), then`;
  if (status.endsWith('_IN_PROGRESS')) return 'wait until it finishes (aws cloudformation wait stack-update-complete or stack-create-complete), or else';
  return 'then';
}
