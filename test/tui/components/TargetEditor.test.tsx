import chalk from 'chalk';
import { render } from 'ink-testing-library';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TargetEditor, checkTarget } from '../../../src/tui/components/TargetEditor.js';
import type { StoreTarget } from '../../../src/migrate/plan/schema.js';

const strip = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');
const COLOUR_CODE = /\u001b\[(?:3[0-79]|9[0-7]|38;)[0-9;]*m/;
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

const KEYS = { tab: '\t', shiftTab: '\u001b[Z', up: '\u001b[A', down: '\u001b[B', enter: '\r', escape: '\u001b', backspace: '\u007f' };

function editor(backend: 'vault' | 'aws-secrets-manager', target: StoreTarget) {
  const onSubmit = vi.fn();
  const onCancel = vi.fn();
  const view = render(<TargetEditor backend={backend} target={target} onSubmit={onSubmit} onCancel={onCancel} width={80} />);
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      view.stdin.write(key);
      await settle();
    }
  };
  return { ...view, onSubmit, onCancel, press, text: () => strip(view.lastFrame()!) };
}

const vault = { mount: 'secret', path: 'my-repo/aws', key: 'AWS_KEY' };

describe('TargetEditor', () => {
  beforeAll(() => {
    chalk.level = 1; // the test stdout is not a TTY; without this no style would ever be emitted
  });
  afterEach(() => {
    delete process.env.NO_COLOR;
  });

  it('shows the fields for Vault with the first one focused and a preview', async () => {
    const { text } = editor('vault', vault);
    await settle();
    const lines = text().split('\n');
    expect(lines[0]).toBe('Store target (Vault)');
    expect(lines[1]).toMatch(/^> mount +secret/);
    expect(lines[2]).toMatch(/^ {2}path +my-repo\/aws/);
    expect(lines[3]).toMatch(/^ {2}key +AWS_KEY/);
    expect(lines[4]).toBe('→ secret/my-repo/aws#AWS_KEY');
  });

  it('submits unchanged values on Enter', async () => {
    const { press, onSubmit } = editor('vault', vault);
    await press(KEYS.enter);
    expect(onSubmit).toHaveBeenCalledWith(vault);
  });

  it('moves between fields with Tab, Shift-Tab and the arrows, and edits the focused one', async () => {
    const { press, onSubmit, text } = editor('vault', vault);
    await press(KEYS.tab);
    expect(text()).toMatch(/> path/);
    await press('/prod');
    await press(KEYS.down, KEYS.backspace, KEYS.backspace, KEYS.backspace, 'PASSWORD  ');
    await press(KEYS.shiftTab, KEYS.shiftTab);
    expect(text()).toMatch(/> mount/);
    await press(KEYS.up);
    expect(text()).toMatch(/> key/);
    await press(KEYS.enter);
    expect(onSubmit).toHaveBeenCalledWith({ mount: 'secret', path: 'my-repo/aws/prod', key: 'AWS_PASSWORD' });
  });

  it('edits the two Secrets Manager fields and trims them', async () => {
    const { press, onSubmit, text } = editor('aws-secrets-manager', { name: 'my-repo/db', key: 'password' });
    await settle();
    expect(text()).toContain('Store target (AWS Secrets Manager)');
    expect(text()).not.toContain('mount');
    await press('  ', KEYS.enter);
    expect(onSubmit).toHaveBeenCalledWith({ name: 'my-repo/db', key: 'password' });
  });

  it('refuses an empty field with an inline message and focuses it', async () => {
    const { press, onSubmit, text } = editor('aws-secrets-manager', { name: 'x', key: 'password' });
    await press(KEYS.backspace, ' ', KEYS.tab, KEYS.enter);
    expect(onSubmit).not.toHaveBeenCalled();
    expect(text()).toContain('! name must not be empty');
    expect(text()).toMatch(/> name/);
    await press('db');
    expect(text()).not.toContain('must not be empty');
    await press(KEYS.enter);
    expect(onSubmit).toHaveBeenCalledWith({ name: 'db', key: 'password' });
  });

  it('refuses a path the plan would reject', async () => {
    const { press, onSubmit, text } = editor('vault', { ...vault, path: 'a//b' });
    await press(KEYS.enter);
    expect(onSubmit).not.toHaveBeenCalled();
    expect(text()).toContain('! path must not start or end with "/"');
    expect(checkTarget('vault', { mount: 'm', path: 'ok/path', key: 'k' })).toEqual({ target: { mount: 'm', path: 'ok/path', key: 'k' } });
  });

  it('starts empty fields when the target is for the other backend', async () => {
    const { press, onSubmit, text } = editor('vault', { name: 'n', key: 'k' });
    await press(KEYS.enter);
    expect(onSubmit).not.toHaveBeenCalled();
    expect(text()).toContain('! mount must not be empty');
  });

  it('cancels on Esc', async () => {
    const { press, onCancel, onSubmit } = editor('vault', vault);
    await press(KEYS.escape);
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('shows the error in red, and under NO_COLOR by its ! mark alone', async () => {
    const coloured = editor('aws-secrets-manager', { name: '', key: 'k' });
    await coloured.press(KEYS.enter);
    expect(coloured.lastFrame()).toMatch(COLOUR_CODE);
    process.env.NO_COLOR = '1';
    const plain = editor('aws-secrets-manager', { name: '', key: 'k' });
    await plain.press(KEYS.enter);
    expect(plain.lastFrame()).not.toMatch(COLOUR_CODE);
    expect(plain.text()).toContain('! name must not be empty');
  });
});
