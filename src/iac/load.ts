let loaded: Promise<typeof import('./index.js')> | null = null;
let analyzers: typeof import('./index.js') | null = null;

/**
 * Registers and initialises the format analyzers (parsers, a WebAssembly grammar) in this
 * thread. They are loaded on first need (a history scan's chunk batches never need them); later
 * calls return at once, unless a parser that crashed is being replaced.
 */
export function loadAnalyzers(): Promise<void> {
  return (loaded ??= import('./index.js').then((iac) => (analyzers = iac))).then((iac) => iac.initAnalyzers());
}

/** While an analyzer gets ready again (a parser replaced after a crash): what to wait for before the next file. */
export function analyzersPending(): Promise<void> | undefined {
  return analyzers?.analyzersPending();
}
