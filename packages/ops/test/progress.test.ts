import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { progressFor } from '../src/cli/progress.js';

/** A terminal-like stream that keeps what is written. */
function terminal(): { stream: NodeJS.WriteStream; written: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  (stream as { isTTY?: boolean }).isTTY = true;
  return { stream, written: () => text };
}

describe('progressFor (the progress of long commands)', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('rewrites one line on a terminal and clears it before the report', () => {
    vi.stubEnv('CI', '');
    const t = terminal();
    const progress = progressFor({ values: {} }, { stream: t.stream });
    progress.update('verify: 1/4 checks');
    progress.update('verify: 2/4 checks');
    progress.done();
    expect(t.written()).toBe('\r\x1b[2Kverify: 1/4 checks\r\x1b[2Kverify: 2/4 checks\r\x1b[2K');
  });

  it('stays quiet under --json, whose document is the whole output', () => {
    vi.stubEnv('CI', '');
    const t = terminal();
    const progress = progressFor({ values: { json: true } }, { stream: t.stream });
    progress.update('verify: 1/4 checks');
    progress.done();
    expect(t.written()).toBe('');
  });

  it('stays quiet under CI', () => {
    vi.stubEnv('CI', 'true');
    const t = terminal();
    const progress = progressFor({ values: {} }, { stream: t.stream });
    progress.update('registry-backup: 3 objects');
    progress.done();
    expect(t.written()).toBe('');
  });
});
