import type { Finding } from '../../src/findings/types.js';

export interface Label {
  secret: string;
  kind: string;
  inWorktree: boolean;
  historyOnly: boolean;
}

export interface Accuracy {
  recall: number;
  precision: number;
  missed: Label[];
  falseAlarms: { rule: string; secret: string; where: string }[];
  wrongWorktreeFlag: string[];
}

/** A finding counts for a label when one holds the other (a rule may capture a little more or less). */
function sameSecret(found: string, label: string): boolean {
  return found === label || (found.length >= 8 && label.includes(found)) || (label.length >= 8 && found.includes(label));
}

export function measure(findings: Finding[], labels: Label[]): Accuracy {
  const missed = labels.filter((l) => !findings.some((f) => sameSecret(f.secret ?? '', l.secret)));
  const falseAlarms = findings
    .filter((f) => !labels.some((l) => sameSecret(f.secret ?? '', l.secret)))
    .map((f) => ({ rule: f.rule, secret: f.secret ?? '', where: `${f.locations[0].file}:${f.locations[0].line}` }));
  const wrongWorktreeFlag = labels
    .filter((l) => !missed.includes(l))
    .filter((l) => findings.filter((f) => sameSecret(f.secret ?? '', l.secret)).some((f) => f.inWorktree !== l.inWorktree))
    .map((l) => l.secret);
  const truePositives = findings.length - falseAlarms.length;
  return {
    recall: labels.length === 0 ? 1 : (labels.length - missed.length) / labels.length,
    precision: findings.length === 0 ? 1 : truePositives / findings.length,
    missed,
    falseAlarms,
    wrongWorktreeFlag,
  };
}
