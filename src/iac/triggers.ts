/**
 * Patterns that make a structured file worth parsing even when no rule matched in it: a
 * secret-like name bound to something that does not look like a reference, or a place a format
 * keeps secrets. They join the rules' keyword prefilter (one pass over the bytes), because
 * parsing is the costly part of IaC analysis.
 */
export const STRUCTURE_TRIGGERS: string[] = [
  // A quoted literal, or an unquoted one that runs to the end of the line and is no dotted
  // reference (`var.x`, `data.y.z`, `random_password.db.result`).
  String.raw`(?m)(?:passw|secret|token|api_?key|apikey|access_?key|private_?key|credential|passphrase|pwd)[\w.-]{0,40}["']?[ \t]*[:=][ \t]*(?:["'][^\s$"'{<\[(]|[^\s$"'{<\[(.#]+[ \t]*(?:#.*)?$)`,
  String.raw`noecho`,
  String.raw`(?m)^kind:\s*(?:Secret|ConfigMap)\b`,
  String.raw`sensitive\s*=\s*true`,
];
