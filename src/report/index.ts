import { jsonReporter } from './json.js';
import { jsonlReporter } from './jsonl.js';
import { sarifReporter } from './sarif.js';
import { textReporter } from './text.js';
import type { ReportFormat, Reporter } from './types.js';

export { REPORT_FORMATS } from './types.js';
export type { ReportFormat, ReportOptions, Reporter, RuleInfo } from './types.js';
export { jsonReporter, jsonFinding, type JsonFinding, type JsonLocation } from './json.js';
export { jsonlReporter } from './jsonl.js';
export { sarifReporter, sarifLog } from './sarif.js';
export { textReporter, summaryLine } from './text.js';

/** The reporter for a `--format` value. */
export function reporterFor(format: ReportFormat): Reporter {
  switch (format) {
    case 'text':
      return textReporter;
    case 'json':
      return jsonReporter;
    case 'jsonl':
      return jsonlReporter;
    case 'sarif':
      return sarifReporter;
    default: {
      const unknown: never = format;
      throw new Error(`unknown report format "${String(unknown)}": use one of text, json, jsonl, sarif`);
    }
  }
}
