import { typescript } from 'projen';

/** The GitHub workflows (build, deploy, drift, restore-drill, restore). */
export function addWorkflows(_root: typescript.TypeScriptProject) {
  // Filled in by the delivery issue.
}
