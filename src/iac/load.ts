let loaded: Promise<typeof import('./index.js')> | null = null;

/**
 * Registers and initialises the format analyzers (parsers, a WebAssembly grammar) in this
 * thread. They are loaded on first need (a history scan's chunk batches never need them); later
 * calls return at once, unless a parser that crashed is being replaced.
 */
export function loadAnalyzers(): Promise<void> {
  return (loaded ??= import('./index.js')).then((iac) => iac.initAnalyzers());
}
