import chalk from 'chalk';
import { render } from 'ink-testing-library';
import { beforeAll, describe, expect, it } from 'vitest';
import { HelpBar, KEY_SECTIONS, KeyMap, type HelpScreen } from '../../../src/tui/components/HelpBar.js';

const strip = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');
const COLOUR_CODE = /\u001b\[(?:3[0-79]|9[0-7]|38;)[0-9;]*m/;
const lines = (frame: string | undefined) => strip(frame ?? '').split('\n');

const SCREENS: HelpScreen[] = ['list', 'details', 'edit', 'reason', 'review', 'applying', 'summary', 'scanning'];

beforeAll(() => {
  chalk.level = 1; // the test stdout is not a TTY; without this no style would ever be emitted
});

describe('HelpBar', () => {
  it('marks keys in bold, never with colour (so NO_COLOR changes nothing)', () => {
    const frame = render(<HelpBar screen="list" width={80} />).lastFrame()!;
    expect(frame).toContain('\u001b[1m');
    expect(frame).not.toMatch(COLOUR_CODE);
    expect(render(<KeyMap width={80} height={24} />).lastFrame()).not.toMatch(COLOUR_CODE);
  });

  it('shows one line of keys for every screen within 80 columns', () => {
    for (const screen of SCREENS) {
      const shown = lines(render(<HelpBar screen={screen} width={80} />).lastFrame());
      expect(shown).toHaveLength(1);
      expect(shown[0].length).toBeLessThanOrEqual(80);
      expect(shown[0].length).toBeGreaterThan(0);
    }
  });

  it('names the main keys of a screen, leaving whole hints off when narrow', () => {
    expect(lines(render(<HelpBar screen="review" width={80} />).lastFrame())[0]).toBe('y apply · n back · ↑↓ PgUp PgDn scroll');
    expect(lines(render(<HelpBar screen="summary" width={80} />).lastFrame())[0]).toBe('↑↓ scroll · q quit');
    const list = lines(render(<HelpBar screen="list" width={80} />).lastFrame())[0];
    expect(list).toBe('enter details · m migrate · f false pos. · s skip · r review · ? keys · q quit');
    const narrow = lines(render(<HelpBar screen="list" width={30} />).lastFrame())[0];
    expect(narrow).toBe('enter details · m migrate');
    expect(lines(render(<HelpBar screen="details" width={80} />).lastFrame())[0]).toMatch(/^esc back · r reveal\/hide · m migrate/);
  });
});

describe('KeyMap', () => {
  it('shows every key of every screen in 80×24', () => {
    const shown = lines(render(<KeyMap width={80} height={24} />).lastFrame());
    expect(shown.length).toBeLessThanOrEqual(24);
    for (const line of shown) expect(line.length).toBeLessThanOrEqual(80);
    const text = shown.join('\n');
    expect(text).not.toContain('more than fits');
    for (const section of KEY_SECTIONS) {
      expect(text).toContain(section.title);
      for (const [keys, what] of section.keys) expect(text).toMatch(new RegExp(`${keys.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} +${what.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    }
    expect(text).toContain('v            scope: all/in HEAD/history');
    expect(text).toContain('w            save plan and quit');
    expect(text).toContain('q            quit without changes');
  });

  it('says when the terminal is too small for all of it', () => {
    const shown = lines(render(<KeyMap width={40} height={12} />).lastFrame());
    expect(shown[0]).toBe('Keys (more than fits this terminal)');
    expect(shown.length).toBeLessThanOrEqual(12);
    for (const line of shown) expect(line.length).toBeLessThanOrEqual(40);
  });
});
