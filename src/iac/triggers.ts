/**
 * Patterns that make a structured file worth parsing even when no rule matched in it: a
 * secret-like name bound to something that does not look like a reference, or a place a format
 * keeps secrets. They join the rules' keyword prefilter (one pass over the bytes), because
 * parsing is the costly part of IaC analysis. Keep the words in step with names.ts.
 */
const WORD = String.raw`(?:passw|passphrase|secret|token|api_?key|apikey|access_?key|private_?key|credential|pwd|_pass\b|master_?key|signing_?key|encryption_?key|connection_?string|webhook_?url)`;

export const STRUCTURE_TRIGGERS: string[] = [
  // A quoted literal or a heredoc, any separator.
  String.raw`${WORD}[\w.-]{0,40}["']?[ \t]*[:=][ \t]*(?:["'][^\s$"'{<\[(]|<<)`,
  // An unquoted literal to the end of the line that is no dotted reference (`var.x`, `data.y.z`).
  String.raw`(?m)${WORD}[\w.-]{0,40}["']?[ \t]*[:=][ \t]*[^\s$"'{<\[(.#]+[ \t]*(?:#.*)?$`,
  // An unquoted dotted literal after `:` (YAML) or a bare `=` (.env, .properties): `my.pass.word`.
  String.raw`(?m)${WORD}[\w.-]{0,40}(?::[ \t]+|=)[^\s$"'{<\[(#]+$`,
  // `name: DB_PASSWORD` then `value: ...` (Kubernetes and CloudFormation env items).
  String.raw`(?m)name:[ \t]*["']?[\w.-]*${WORD}[\w.-]*["']?[ \t]*$`,
  // Dockerfile `ENV DB_PASSWORD value`.
  String.raw`(?m)^[ \t]*(?:ENV|ARG)[ \t]+[\w.-]*${WORD}[\w.-]*[ \t]+\S`,
  String.raw`noecho`,
  String.raw`(?m)^kind:\s*(?:Secret|ConfigMap)\b`,
  String.raw`sensitive\s*=\s*true`,
  // A Terraform variable named like a secret: its `default` may hold the value.
  String.raw`variable\s+"[\w-]*${WORD}[\w-]*"`,
  // Terraform state: sensitive outputs and attributes, generated passwords.
  String.raw`"sensitive"\s*:\s*true|"sensitive_attributes"\s*:\s*\[\s*[\[{]|"type"\s*:\s*"random_password"`,
];
