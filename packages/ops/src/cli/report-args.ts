import { defineOptionGroup } from './declare.js';
import { githubTokenVariable, STEP_SUMMARY_VARIABLE } from './environment-variables.js';

/**
 * `--report` and `--report-file <path>` of the commands that file a result on an environment's
 * issue (drift, drill, restore); `report` says what `--report` does for the command.
 */
export function reportOptions(report: string) {
  return defineOptionGroup({
    options: {
      'report': { type: 'boolean', description: report },
      'report-file': {
        type: 'string',
        placeholder: '<path>',
        description: 'also write the report as JSON, for a later step that publishes it\n(report --from <path>): the command itself then needs no GitHub token',
      },
    },
    environment: [githubTokenVariable("with --report: issues: write on the config's repository"), STEP_SUMMARY_VARIABLE],
  });
}
