/**
 * Inline allow markers: a secret on a line carrying one of these is not reported. `gitleaks:allow`
 * and detect-secrets' `pragma: allowlist secret` are honoured for teams coming from those tools;
 * `pragma: allowlist nextline secret` on the line above works as in detect-secrets.
 */
const SAME_LINE = /vaultsweep:allow|gitleaks:allow|pragma:\s*allowlist[ -]secret/i;
const NEXT_LINE = /pragma:\s*allowlist[ -]nextline[ -]secret|vaultsweep:allow-next-line/i;

export function isAllowedInline(lineText: (line: number) => string, firstLine: number, lastLine: number): boolean {
  if (SAME_LINE.test(lineText(firstLine))) return true;
  if (lastLine !== firstLine && SAME_LINE.test(lineText(lastLine))) return true;
  return firstLine > 0 && NEXT_LINE.test(lineText(firstLine - 1));
}
