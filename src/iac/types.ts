/**
 * Format-aware analysis of infrastructure code and config files: where in the structure each
 * value sits (the context contract of the JSON report), and which values are secrets by the
 * format's own semantics (a `password` attribute, a NoEcho parameter's Default, a Kubernetes
 * Secret's data) even when no regex would call them one.
 */

export const IAC_FORMATS = [
  'terraform',
  'terraform-vars',
  'terraform-state',
  'cloudformation',
  'kubernetes',
  'helm',
  'ansible',
  'dockerfile',
  'compose',
  'dotenv',
  'github-actions',
  'gitlab-ci',
  'properties',
  'pulumi',
  'serverless',
  'code',
  'text',
] as const;
export type IacFormat = (typeof IAC_FORMATS)[number];

/** Where a location sits in its file's structure: reported as `context` on every location. */
export interface LocationContext {
  format: IacFormat;
  /** Dotted structural path: `resource.aws_db_instance.ledger.password`, `services.db.environment.POSTGRES_PASSWORD`. */
  path: string;
  /** The name the value is bound to: `password`, `DB_PASSWORD`, `spring.datasource.password`. */
  key: string;
  /** `base64` where the stored text is the encoding of the value (Kubernetes Secret `data`). */
  encoding?: 'base64';
  /** For `format: code`: the language (`javascript`, `typescript`, `python`, `go`, ...). */
  language?: string;
}

/** One scalar value bound to a name, as an analyzer understood it. */
export interface BoundValue {
  context: LocationContext;
  /** Byte offsets in the file of the value's text, without its quotes (for base64: the encoded text). */
  start: number;
  end: number;
  /**
   * The value when it is a literal (decoded for base64); null when it is a reference or an
   * expression: a variable, a data source, `${{ secrets.X }}`, `{{resolve:...}}`, `!Ref`, `${VAR}`,
   * a `vault:`/`ssm:` lookup, an Ansible Vault blob, a Pulumi `secure:` value.
   */
  literal: string | null;
  /** True when the format itself says this value is a secret (by its key, attribute or place). */
  sensitive: boolean;
}

/** What an analyzer learned of one file. Analyzers never throw: a file that does not parse gives a note. */
export interface FileAnalysis {
  format: IacFormat;
  values: BoundValue[];
  notes: string[];
}

export interface FormatAnalyzer {
  /** The formats this analyzer handles (detection chooses one per file; see format.ts). */
  formats: readonly IacFormat[];
  /** Loads what the analyzer needs (a WebAssembly grammar); awaited once per thread before any analyze. */
  init?(): Promise<void>;
  analyze(data: Buffer, path: string, format: IacFormat): FileAnalysis;
}
