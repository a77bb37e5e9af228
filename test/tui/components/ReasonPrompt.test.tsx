import chalk from 'chalk';
import { render } from 'ink-testing-library';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ReasonPrompt } from '../../../src/tui/components/ReasonPrompt.js';

const strip = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');
const COLOUR_CODE = /\u001b\[(?:3[0-79]|9[0-7]|38;)[0-9;]*m/;
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

function prompt(width = 80) {
  const onSubmit = vi.fn();
  const onCancel = vi.fn();
  const view = render(<ReasonPrompt title="Why is aws-secret-access-key wJal…EKEY a false positive?" onSubmit={onSubmit} onCancel={onCancel} width={width} />);
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      view.stdin.write(key);
      await settle();
    }
  };
  return { ...view, onSubmit, onCancel, press, text: () => strip(view.lastFrame()!) };
}

describe('ReasonPrompt', () => {
  beforeAll(() => {
    chalk.level = 1; // the test stdout is not a TTY; without this no style would ever be emitted
  });
  afterEach(() => {
    delete process.env.NO_COLOR;
  });

  it('shows the title and the input', async () => {
    const { text, press } = prompt();
    await press('test');
    const lines = text().split('\n');
    expect(lines[0]).toBe('Why is aws-secret-access-key wJal…EKEY a false positive?');
    expect(lines[1]).toMatch(/^> reason: test/);
  });

  it('submits the trimmed reason on Enter', async () => {
    const { press, onSubmit } = prompt();
    await press('  sample data in docs ', '\r');
    expect(onSubmit).toHaveBeenCalledWith('sample data in docs');
  });

  it('allows an empty reason', async () => {
    const { press, onSubmit } = prompt();
    await press('\r');
    expect(onSubmit).toHaveBeenCalledWith('');
  });

  it('keeps the reason on one line', async () => {
    const { press, onSubmit, text } = prompt();
    await press('a\u0001b\nc');
    expect(text().split('\n')[1]).toMatch(/^> reason: a b c/);
    await press('\r');
    expect(onSubmit).toHaveBeenCalledWith('a b c');
  });

  it('cancels on Esc', async () => {
    const { press, onSubmit, onCancel } = prompt();
    await press('x', '\u001b');
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('fits a narrow width', async () => {
    const { text, press } = prompt(30);
    await press('y');
    for (const line of text().split('\n')) expect(line.trimEnd().length).toBeLessThanOrEqual(30);
  });

  it('uses no colour under NO_COLOR; the input cursor stays visible as inverse', async () => {
    process.env.NO_COLOR = '1';
    const { lastFrame, press } = prompt();
    await press('abc');
    expect(lastFrame()).not.toMatch(COLOUR_CODE);
    expect(lastFrame()).toContain('\u001b[7m');
  });
});
