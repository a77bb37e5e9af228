let loaded: Promise<void> | null = null;

/**
 * Registers and initialises the format analyzers (parsers, a WebAssembly grammar) in this
 * thread, once. They are loaded on first need: a history scan's chunk batches never need them.
 */
export function loadAnalyzers(): Promise<void> {
  return (loaded ??= import('./index.js').then((iac) => iac.initAnalyzers()));
}
