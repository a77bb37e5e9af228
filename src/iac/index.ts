import { registerAnalyzers } from './analyze.js';
import { lineAnalyzers } from './lines/index.js';
import { terraformAnalyzer } from './terraform.js';
import { yamlAnalyzers } from './yaml/index.js';

/** Every format analyzer, registered once per thread that imports this module. */
registerAnalyzers([terraformAnalyzer, ...yamlAnalyzers, ...lineAnalyzers]);

export { initAnalyzers } from './analyze.js';
export { hclPending as analyzersPending } from './tree-sitter.js';
export { scanFile, addStructure, type FileScan } from './structure.js';
export { IAC_RULE } from './rule.js';
