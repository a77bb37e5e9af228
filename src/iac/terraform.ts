export { terraformAnalyzer } from './terraform/index.js';
