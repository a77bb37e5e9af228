import { describe, it, expect } from 'vitest';
import { jsonReporter } from '../../src/report/json.js';
import { jsonlReporter } from '../../src/report/jsonl.js';
import type { Reporter } from '../../src/report/types.js';
import { CapturedOutput, SHOWN_SECRET, reportOptions, sampleFindings } from './sample-findings.js';

async function render(reporter: Reporter, findings = sampleFindings, showSecrets = false): Promise<string> {
  const out = new CapturedOutput();
  await reporter(findings, out, reportOptions({ showSecrets }));
  return out.text;
}

describe('jsonl reporter', () => {
  it('prints one compact JSON object per line, one line per finding, each line ending in a newline', async () => {
    const text = await render(jsonlReporter);
    const lines = text.split('\n');
    expect(lines.pop()).toBe(''); // the text ends with a newline
    expect(lines).toHaveLength(sampleFindings.length);
    for (const line of lines) {
      expect(line.startsWith('{"id":')).toBe(true);
      expect(line).not.toMatch(/^\s|\s$/);
    }
  });

  it('prints the same objects, in the same key order, as the json reporter', async () => {
    for (const showSecrets of [false, true]) {
      const array = JSON.parse(await render(jsonReporter, sampleFindings, showSecrets));
      const lines = (await render(jsonlReporter, sampleFindings, showSecrets)).trimEnd().split('\n');
      expect(lines).toEqual(array.map((finding: unknown) => JSON.stringify(finding)));
    }
  });

  it('leaves the secret out unless showSecrets is set', async () => {
    expect(await render(jsonlReporter)).not.toContain(SHOWN_SECRET);
    const first = JSON.parse((await render(jsonlReporter, sampleFindings, true)).split('\n')[0]);
    expect(first.secret).toBe(SHOWN_SECRET);
  });

  it('keeps a newline inside a value escaped, so one finding stays one line', async () => {
    const finding = { ...sampleFindings[0], description: 'line one\nline two' };
    const text = await render(jsonlReporter, [finding]);
    expect(text.split('\n')).toHaveLength(2);
    expect(JSON.parse(text).description).toBe('line one\nline two');
  });

  it('prints nothing for no findings', async () => {
    expect(await render(jsonlReporter, [])).toBe('');
  });
});
