import { describe, expect, it } from 'vitest';
import { committedEnvironments, plannedEnvironment } from '../src/testing/index.js';

describe('the shared test kit', () => {
  it('plans every committed environment by name', () => {
    const all = committedEnvironments();
    expect([...all.keys()]).toEqual(['dev', 'prod']);
    expect(all.get('prod')!.plan.names.cluster).toBe('harbor-platform-prod');
  });

  it('plans a changed copy and leaves the next copy unchanged', () => {
    expect(plannedEnvironment('dev', (raw) => (raw.harbor.replicas = 3)).plan.harbor.replicas).toBe(3);
    expect(plannedEnvironment('dev').plan.harbor.replicas).toBe(2);
  });

  it('names every problem of a change that does not validate', () => {
    expect(() => plannedEnvironment('dev', (raw) => (raw.harbor.replicas = 1))).toThrow(/harbor\.replicas/);
  });
});
