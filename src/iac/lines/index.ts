import type { FormatAnalyzer } from '../types.js';
import { codeAnalyzer } from './code.js';
import { dockerfileAnalyzer } from './dockerfile.js';
import { dotenvAnalyzer } from './dotenv.js';
import { propertiesAnalyzer } from './properties.js';

/** Analyzers of line-oriented formats and source code: Dockerfile, `.env`, `.properties`, code. */
export const lineAnalyzers: FormatAnalyzer[] = [dockerfileAnalyzer, dotenvAnalyzer, propertiesAnalyzer, codeAnalyzer];

export { codeAnalyzer, dockerfileAnalyzer, dotenvAnalyzer, propertiesAnalyzer };
