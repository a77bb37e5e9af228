import type { PlanBackend, PlanLocation, RewriteOptions, StoreTarget } from '../plan/schema.js';

/** One literal to replace with a reference to where its secret now lives. */
export interface RewriteEdit {
  secretId: string;
  location: PlanLocation;
  target: StoreTarget;
  /** UTF-16 range of the literal in the file's text, checked against the plan's hash. */
  start: number;
  end: number;
}

export interface RewriteContext {
  backend: PlanBackend;
  /** The file's path relative to the repository root. */
  file: string;
  /** The repository root, for rewriters that read a neighbour (a Helm chart's templates). */
  root: string;
  options: RewriteOptions;
  /**
   * Environment variable names taken in this apply run and in the repository's `.env`, each with
   * the store reference it stands for (or a marker for a plain value). Rewriters that introduce
   * variable names allocate from it, so one name never means two secrets across files.
   */
  envNames?: Map<string, string>;
}

export interface RewriteResult {
  /** The new text of the file, with every edit not listed in `manual` applied. */
  text: string;
  /** Edits the rewriter could not make, each with what the user must do instead. */
  manual: { edit: RewriteEdit; reason: string }[];
  /** Steps the file cannot hold (create a CI secret, set TF_VAR_x), for the summary. */
  notes: string[];
  /**
   * Environment variables the rewritten file now reads (`process.env.DB_PASSWORD`), each to be
   * recorded as a store reference in the repository's `.env` (and, empty, in `.env.example`),
   * where `vaultsweep run` resolves it.
   */
  envEntries?: { name: string; uri: string; envFile?: string }[];
}

/**
 * Turns literals into references to the store, one format each (next: src/migrate/rewrite/<format>.ts).
 * `accepts` decides at plan time which rewriter a location gets (its name goes into the plan);
 * `rewrite` gets every edit of one file at once and must return text that still parses in its format.
 */
export interface Rewriter {
  readonly name: string;
  /** Loads what `rewrite` needs (a grammar); awaited once before the first `rewrite`. */
  prepare?(): Promise<void>;
  accepts(location: PlanLocation, backend: PlanBackend): boolean;
  rewrite(text: string, edits: RewriteEdit[], context: RewriteContext): RewriteResult;
}
