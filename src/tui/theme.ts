/**
 * Colours for the interactive migrator. With NO_COLOR set (https://no-color.org) every colour is
 * dropped; the screens then rely on inverse, bold and markers, which still read without colour.
 */
export type Colour = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'gray' | 'white';

export function noColor(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '';
}

/** A colour for `<Text color={colour('red')}>`, or undefined under NO_COLOR. */
export function colour(name: Colour): Colour | undefined {
  return noColor() ? undefined : name;
}

export const SEVERITY_COLOUR: Record<string, Colour> = { critical: 'red', high: 'magenta', medium: 'yellow', low: 'gray' };

/** Cuts a line to `width` columns with an ellipsis, so a screen never wraps at 80 columns. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
