/** The YAML/JSON-family analyzers: one per format, sharing the walker in `walk.ts`. */
import type { FormatAnalyzer } from '../types.js';
import { ansibleAnalyzer } from './ansible.js';
import { cloudFormationAnalyzer } from './cloudformation.js';
import { composeAnalyzer } from './compose.js';
import { githubActionsAnalyzer } from './github-actions.js';
import { gitlabCiAnalyzer } from './gitlab-ci.js';
import { helmAnalyzer } from './helm.js';
import { kubernetesAnalyzer } from './kubernetes.js';
import { pulumiAnalyzer } from './pulumi.js';
import { serverlessAnalyzer } from './serverless.js';

export const yamlAnalyzers: FormatAnalyzer[] = [
  cloudFormationAnalyzer,
  kubernetesAnalyzer,
  helmAnalyzer,
  ansibleAnalyzer,
  composeAnalyzer,
  githubActionsAnalyzer,
  gitlabCiAnalyzer,
  pulumiAnalyzer,
  serverlessAnalyzer,
];

export {
  ansibleAnalyzer,
  cloudFormationAnalyzer,
  composeAnalyzer,
  githubActionsAnalyzer,
  gitlabCiAnalyzer,
  helmAnalyzer,
  kubernetesAnalyzer,
  pulumiAnalyzer,
  serverlessAnalyzer,
};
export { YAML_LIMITS } from './walk.js';
