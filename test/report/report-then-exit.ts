// Child process for output.test.ts: writes a large report to stdout and exits the moment the
// reporter resolves, as the CLI does. Usage: vite-node report-then-exit.ts -- FORMAT COUNT
import { reporterFor } from '../../src/report/index.js';
import type { ReportFormat } from '../../src/report/types.js';
import { reportOptions, worktreeFinding } from './sample-findings.js';

const [format, count] = process.argv.slice(-2);
const findings = Array.from({ length: Number(count) }, (_, i) => ({ ...worktreeFinding, id: `f-${i}` }));
await reporterFor(format as ReportFormat)(findings, process.stdout, reportOptions());
process.exit(0);
