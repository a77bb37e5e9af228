import { registerAnalyzers } from './analyze.js';

/** Every format analyzer, registered once per thread that imports this module. */
registerAnalyzers([]);

export { initAnalyzers } from './analyze.js';
export { scanFile, addStructure, type FileScan } from './structure.js';
export { IAC_RULE } from './rule.js';
