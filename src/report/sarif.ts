import { createHash } from 'node:crypto';
import { isAbsolute, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Severity } from '../detect/rule.js';
import type { Finding, FindingLocation } from '../findings/types.js';
import { writeChunks } from './output.js';
import type { Reporter, ReportOptions, RuleInfo } from './types.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub code scanning reads this property (a number as a string, 0.1–10) to rank alerts. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

/** `aws-access-key-id` → `AwsAccessKeyId`. */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/** Lone surrogates (from undecodable file names) would make encodeURIComponent throw. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * A finding path as a SARIF artifact URI: relative paths become a percent-encoded relative
 * reference (segments joined by `/`, so `a b/#1.env` → `a%20b/%231.env`) resolved against
 * %SRCROOT%; an absolute path becomes a `file:` URL of its own.
 */
export function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  const path = wellFormed(file);
  if (isAbsolute(path)) return { uri: pathToFileURL(path).href };
  const segments = sep === '/' ? path.split('/') : path.split(/[\\/]/);
  return { uri: segments.map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function ruleDescriptor(info: RuleInfo) {
  const sentence = info.description.replace(/[.\s]+$/, '');
  const full = `${sentence}${info.provider ? ` (provider: ${info.provider})` : ''}.`;
  return {
    id: info.id,
    name: pascalCase(info.id),
    shortDescription: { text: info.description },
    fullDescription: { text: full },
    defaultConfiguration: { level: LEVEL[info.severity] },
    properties: { tags: ['security', 'secret'], 'security-severity': SECURITY_SEVERITY[info.severity], precision: 'high' },
  };
}

function resultMessage(finding: Finding, location: FindingLocation): string {
  const where = location.commit === null ? 'in the working tree' : `in commit ${location.commit.slice(0, 12)}`;
  return `${finding.rule}: ${finding.description} (${finding.redacted}) ${where}.`;
}

function result(finding: Finding, location: FindingLocation, ruleIndex: number, options: ReportOptions) {
  return {
    ruleId: finding.rule,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: resultMessage(finding, location) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(location.file),
          region: {
            startLine: location.line,
            startColumn: location.column,
            endLine: location.endLine,
            endColumn: location.endColumn,
          },
        },
      },
    ],
    // One alert per secret and file: stable when lines move, distinct when the secret sits in two files.
    partialFingerprints: { 'vaultsweep/v1': `${finding.id}:${createHash('sha256').update(location.file).digest('hex').slice(0, 16)}` },
    properties: {
      findingId: finding.id,
      secretSha256: finding.secretSha256,
      ...(options.showSecrets && finding.secret !== undefined ? { secret: finding.secret } : {}),
      inWorktree: finding.inWorktree,
      commit: location.commit,
      ...(location.author !== undefined ? { author: location.author } : {}),
      ...(location.date !== undefined ? { date: location.date } : {}),
      ...(location.context !== undefined ? { context: location.context } : {}),
    },
  };
}

/** Builds the SARIF 2.1.0 log: one run, the rules that fired, one result per location. */
export function sarifLog(findings: readonly Finding[], options: ReportOptions) {
  const fired = new Map<string, RuleInfo>();
  for (const f of findings) {
    if (!fired.has(f.rule)) {
      fired.set(f.rule, options.rules.get(f.rule) ?? { id: f.rule, description: f.description, severity: f.severity });
    }
  }
  const rules = [...fired.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const root = pathToFileURL(resolve(options.root)).href;
  const run = {
    tool: {
      driver: {
        name: 'vaultsweep',
        version: options.toolVersion,
        rules: rules.map(ruleDescriptor),
      },
    },
    ...(options.notes.length > 0
      ? {
          invocations: [
            {
              executionSuccessful: true,
              toolExecutionNotifications: options.notes.map((text) => ({ level: 'note', message: { text } })),
            },
          ],
        }
      : {}),
    originalUriBaseIds: { [SRCROOT]: { uri: root.endsWith('/') ? root : `${root}/` } },
    results: findings.flatMap((f) => f.locations.map((loc) => result(f, loc, ruleIndex.get(f.rule) ?? -1, options))),
  };
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

/** `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it, with partialFingerprints. */
export const sarifReporter: Reporter = (findings, out, options) =>
  writeChunks(out, [`${JSON.stringify(sarifLog(findings, options), null, 2)}\n`]);
