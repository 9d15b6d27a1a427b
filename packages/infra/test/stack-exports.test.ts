/**
 * Every exported output of the two stacks carries the export name the plan gives it
 * (`plan.names.exports`), and the plan names no export a stack lacks: another stack or an
 * operator finds an output by the plan's name, and infra derives none.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SYNTH_TIMEOUT, synthesizeEnvironment, type SynthesizedEnvironment } from './util.js';

type Outputs = Record<string, { Export?: { Name: string } }>;
const exportsOf = (outputs: Outputs) => Object.fromEntries(Object.entries(outputs).flatMap(([id, o]) => (o.Export ? [[id, o.Export.Name]] : [])));

describe.each(['dev', 'prod'] as const)("the %s stacks' exports", (name) => {
  let env: SynthesizedEnvironment;
  beforeAll(() => {
    env = synthesizeEnvironment(name);
  }, SYNTH_TIMEOUT);

  it('are exactly plan.names.exports.platform on the platform stack', () => {
    expect(exportsOf(env.template.toJSON().Outputs as Outputs)).toEqual(env.plan.names.exports.platform);
  });

  it('are exactly plan.names.exports.github on the GitHub stack', () => {
    expect(exportsOf(env.githubTemplate.toJSON().Outputs as Outputs)).toEqual(env.plan.names.exports.github);
  });
});
