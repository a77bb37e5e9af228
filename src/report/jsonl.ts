import type { Finding } from '../findings/types.js';
import { jsonFinding } from './json.js';
import { writeChunks } from './output.js';
import type { Reporter } from './types.js';

function* jsonLines(findings: readonly Finding[], showSecrets: boolean): Generator<string> {
  for (const finding of findings) yield `${JSON.stringify(jsonFinding(finding, showSecrets))}\n`;
}

/**
 * `--format jsonl`: one finding per line, the same object as `--format json` prints, compact.
 * No findings, no output (an empty file is a valid empty JSON Lines stream).
 */
export const jsonlReporter: Reporter = (findings, out, options) =>
  writeChunks(out, jsonLines(findings, options.showSecrets));
