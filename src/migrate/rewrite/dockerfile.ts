/**
 * Dockerfiles. A secret in an `ARG` default or an `ENV` value is written into the image (its
 * history or its config), so the literal must go, not be replaced by a reference:
 *
 * - `ARG NAME=secret` whose NAME is read by nothing but RUN instructions: the default is dropped
 *   (`ARG NAME`) and every RUN that saw NAME gets it from a BuildKit secret instead,
 *   `RUN --mount=type=secret,id=name,env=NAME …` (the `env=` option needs the docker/dockerfile:1.10
 *   frontend: the `# syntax=` directive is added or raised). NAME is recorded in `.env` as a store
 *   reference, so `vaultsweep run -- docker build --secret id=name,env=NAME .` builds it.
 * - Everything else (ENV, LABEL, an ARG that FROM, COPY, ENV… also read, ONBUILD, a pinned
 *   frontend) is manual with the exact steps: a rewrite that could change what the build does is
 *   left to the user.
 */
import { basename, dirname } from 'node:path/posix';
import { referenceUri } from '../references.js';
import { applySplices, type Splice } from './splices.js';
import type { RewriteEdit, RewriteResult, Rewriter } from './types.js';

// ---------------------------------------------------------------------------------------------
// A small Dockerfile reader: instructions with their offsets, continuations, comments, heredocs.

export interface Instruction {
  /** Upper-case keyword (for `ONBUILD RUN …`, `ONBUILD`). */
  keyword: string;
  /** Offset of the keyword. */
  start: number;
  /** End of the instruction's last line (heredoc bodies included), before its line break. */
  end: number;
  /** Offset after the keyword and the blanks that follow it. */
  argsStart: number;
  /** 1-based line of the keyword. */
  line: number;
  /** Build stage: -1 before the first FROM, then 0, 1… */
  stage: number;
}

export interface ParsedDockerfile {
  instructions: Instruction[];
  escape: string;
  /** The `# syntax=` directive: where its value is. */
  syntax?: { valueStart: number; valueEnd: number; value: string };
  /** Where the file's content starts (after a byte order mark). */
  bodyStart: number;
}

const DIRECTIVE = /^#[ \t]*([A-Za-z][A-Za-z_]*)[ \t]*=[ \t]*(\S+)[ \t]*$/;
const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

export function parseDockerfile(text: string): ParsedDockerfile {
  const n = text.length;
  const bodyStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const lineEnd = (at: number) => {
    const nl = text.indexOf('\n', at);
    return nl === -1 ? n : nl;
  };
  /** A line's text without its `\r`. */
  const lineText = (at: number, end: number) => text.slice(at, end > at && text[end - 1] === '\r' ? end - 1 : end);
  let escape = '\\';
  let syntax: ParsedDockerfile['syntax'];
  let i = bodyStart;
  while (i < n) {
    const end = lineEnd(i);
    const line = lineText(i, end);
    const m = DIRECTIVE.exec(line);
    if (!m) break;
    const key = m[1].toLowerCase();
    if (key === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2];
    if (key === 'syntax') {
      const valueStart = i + line.lastIndexOf(m[2]);
      syntax = { valueStart, valueEnd: valueStart + m[2].length, value: m[2] };
    }
    i = end + 1;
  }
  const instructions: Instruction[] = [];
  let stage = -1;
  let lineNo = text.slice(0, i).split('\n').length;
  const isSkippable = (line: string) => /^[ \t]*(?:#.*)?$/.test(line);
  while (i < n) {
    let end = lineEnd(i);
    let line = lineText(i, end);
    if (isSkippable(line)) {
      i = end + 1;
      lineNo++;
      continue;
    }
    const start = i + (line.length - line.trimStart().length);
    const firstLine = lineNo;
    let logical = line;
    // Continuation lines: the escape character ends the line; blank and comment lines inside are skipped.
    while (line.trimEnd().endsWith(escape) && end < n) {
      i = end + 1;
      lineNo++;
      while (i < n) {
        end = lineEnd(i);
        line = lineText(i, end);
        if (!isSkippable(line)) break;
        i = end + 1;
        lineNo++;
      }
      if (i >= n) break;
      logical += `\n${line}`;
    }
    const kw = /^[A-Za-z]+/.exec(text.slice(start, start + 16))?.[0] ?? '';
    const keyword = kw.toUpperCase();
    let argsStart = start + kw.length;
    while (argsStart < n && (text[argsStart] === ' ' || text[argsStart] === '\t')) argsStart++;
    const inner = keyword === 'ONBUILD' ? (/^[ \t]*ONBUILD[ \t]+([A-Za-z]+)/i.exec(logical)?.[1] ?? '').toUpperCase() : keyword;
    let last = lineText(i, end).length + i;
    if (inner === 'RUN' || inner === 'COPY' || inner === 'ADD') {
      for (const h of logical.matchAll(HEREDOC)) {
        // The body runs to the line that is exactly the word (tabs stripped for <<-).
        while (end < n) {
          i = end + 1;
          lineNo++;
          end = lineEnd(i);
          const body = lineText(i, end);
          last = i + body.length;
          if ((h[1] === '-' ? body.replace(/^\t+/, '') : body) === h[3]) break;
        }
      }
    }
    if (keyword === 'FROM') stage++;
    instructions.push({ keyword, start, end: last, argsStart, line: firstLine, stage });
    i = end + 1;
    lineNo++;
  }
  return { instructions, escape, syntax, bodyStart };
}

// ---------------------------------------------------------------------------------------------

/** `$NAME`, `${NAME}`, `${NAME:-x}`: the instruction reads NAME. */
function reads(text: string, name: string): boolean {
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\$(?:${n}(?![A-Za-z0-9_])|\\{${n}(?=[}:]))`).test(text);
}

/** The RUN flags (`--mount=…`, `--network=…`) before the command. */
function runFlags(text: string, ins: Instruction): { text: string; end: number } {
  const m = /^(?:--\S+[ \t]+(?:\\\r?\n[ \t]*)?)*/.exec(text.slice(ins.argsStart, ins.end));
  return { text: m?.[0] ?? '', end: ins.argsStart + (m?.[0].length ?? 0) };
}

/** A BuildKit secret id for a variable: lower-case, `[a-z0-9_.-]`. */
export function secretIdFor(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_.-]+/g, '_') || 'secret';
}

/** Does a `# syntax=` value name a frontend with `RUN --mount=type=secret,env=`? undefined when it cannot tell. */
function syntaxSupportsEnv(value: string): { ok: true } | { ok: false; raise?: string } {
  const m = /^((?:docker\.io\/)?docker\/dockerfile):(\d+)(?:\.(\d+))?(?:\.\d+)?(-labs)?$/.exec(value);
  if (!m) return { ok: false };
  const major = Number(m[2]);
  const minor = m[3] === undefined ? undefined : Number(m[3]);
  if (major > 1 || (major === 1 && (minor === undefined || minor >= 10))) return { ok: true };
  if (major === 1) return { ok: false, raise: `${m[1]}:1.10${m[4] ?? ''}` };
  return { ok: false };
}

export const dockerfileRewriter: Rewriter = {
  name: 'dockerfile-secret-mount',
  accepts(location) {
    return location.context?.format === 'dockerfile';
  },
  rewrite(text, edits, context): RewriteResult {
    const parsed = parseDockerfile(text);
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const manual: RewriteResult['manual'] = [];
    /** Each ARG rewritten: the `=value` to drop, the RUNs that get its secret mount. */
    const applied: { edit: RewriteEdit; name: string; id: string; host: string; uri: string; mount: string; drop: Splice; runs: Instruction[]; readers: number }[] = [];
    const taken = context.envNames ?? new Map<string, string>();
    const ids = new Map<string, string>();
    /** One secret id per secret of the file: `npm_token`, `npm_token_2`… */
    const uniqueId = (base: string, uri: string): string => {
      for (let n = 1; ; n++) {
        const candidate = n === 1 ? base : `${base}_${n}`;
        if ((ids.get(candidate) ?? uri) === uri) {
          ids.set(candidate, uri);
          return candidate;
        }
      }
    };
    /** The host variable for a secret: NAME, else NAME_2… when NAME stands for another secret in this run or in .env. */
    const allocate = (name: string, uri: string): string => {
      for (let n = 1; ; n++) {
        const candidate = n === 1 ? name : `${name}_${n}`;
        const holder = taken.get(candidate);
        if (holder === undefined || holder === uri) {
          taken.set(candidate, uri);
          return candidate;
        }
      }
    };
    // Built from the repository root with the Dockerfile's folder as the context, the usual layout.
    const dir = dirname(context.file);
    const where = basename(context.file) === 'Dockerfile' ? dir : `-f ${context.file} ${dir}`;
    const buildCommand = (pairs: readonly { id: string; host: string }[]) =>
      `vaultsweep run -- docker build ${pairs.map((p) => `--secret id=${p.id},env=${p.host}`).join(' ')} ${where}`;
    for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
      const ins = parsed.instructions.find((x) => x.start <= edit.start && edit.end <= x.end);
      const [kind, ...rest] = (edit.location.context?.path ?? '').split('.');
      const name = edit.location.context?.key || rest.join('.');
      const uri = referenceUri(edit.target, context.backend);
      const id = uniqueId(secretIdFor(name), uri);
      const mount = `--mount=type=secret,id=${id},env=${name}`;
      const at = ins ? `line ${ins.line}` : `line ${edit.location.line}`;
      const viaSecret = `give each RUN that needs it \`${mount}\` (\`# syntax=docker/dockerfile:1\` at the top) and build with \`${buildCommand([{ id, host: name }])}\` after adding ${name}="${uri}" to .env`;
      if (!ins) {
        manual.push({ edit, reason: `the literal is not in an instruction of this file: remove it by hand` });
        continue;
      }
      if (ins.keyword === 'ENV') {
        manual.push({
          edit,
          reason: `an ENV value is stored in the image: delete ${name} from the ENV on ${at}; if the program reads it when it runs, pass it at start-up (add ${name}="${uri}" to .env and run \`vaultsweep run -- docker run -e ${name} <image>\`); if a RUN needs it while building, ${viaSecret}`,
        });
        continue;
      }
      if (ins.keyword !== 'ARG') {
        manual.push({ edit, reason: `${ins.keyword === 'ONBUILD' ? 'an ONBUILD instruction runs in the builds of other images' : `a ${ins.keyword} value is stored in the image`}: remove the secret from ${at}; if a RUN needs it while building, ${viaSecret}` });
        continue;
      }
      // `NAME=value`, `NAME="value"`: the span of `=value` to drop.
      const quote = text[edit.start - 1] === '"' || text[edit.start - 1] === "'" ? text[edit.start - 1] : '';
      const eqAt = edit.start - 1 - quote.length;
      const closes = !quote || text[edit.end] === quote;
      const declared = text.slice(eqAt - name.length, eqAt);
      const before = text[eqAt - name.length - 1];
      if (kind !== 'ARG' || text[eqAt] !== '=' || !closes || declared !== name || !/[ \t\n]/.test(before ?? '')) {
        manual.push({ edit, reason: `the secret is part of a longer value on ${at}: remove it from the ARG and ${viaSecret}` });
        continue;
      }
      // What sees NAME: the rest of its stage, or (a global ARG) the stages that declare `ARG NAME` again.
      const scopes: Instruction[][] = [];
      const blockers: Instruction[] = [];
      const byStage = (stage: number) => parsed.instructions.filter((x) => x.stage === stage);
      const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const argsOf = (x: Instruction) => text.slice(x.argsStart, x.end);
      /** `ARG NAME` (takes the global default) or `ARG NAME=other` (its own) elsewhere. */
      const redeclares = (x: Instruction) => x !== ins && x.keyword === 'ARG' && new RegExp(`(?:^|\\s)${escaped}(?=\\s|$)`).test(argsOf(x));
      const overrides = (x: Instruction) => x !== ins && x.keyword === 'ARG' && new RegExp(`(?:^|\\s)${escaped}=`).test(argsOf(x));
      if (reads(text.slice(edit.end, ins.end), name)) blockers.push(ins);
      if (ins.stage === -1) {
        for (const x of parsed.instructions.filter((x) => x.keyword === 'FROM')) if (reads(text.slice(x.start, x.end), name)) blockers.push(x);
        const stages = [...new Set(parsed.instructions.filter((x) => x.stage >= 0).map((x) => x.stage))];
        for (const stage of stages) {
          const list = byStage(stage);
          const at = list.findIndex(redeclares);
          if (at >= 0) scopes.push(list.slice(at + 1));
        }
      } else {
        const list = byStage(ins.stage);
        const after = list.slice(list.indexOf(ins) + 1);
        const stop = after.findIndex(overrides);
        scopes.push(stop >= 0 ? after.slice(0, stop) : after);
      }
      const runs: Instruction[] = [];
      for (const x of scopes.flat()) {
        if (x.keyword === 'RUN') {
          if (reads(runFlags(text, x).text, name)) blockers.push(x);
          else runs.push(x);
        } else if (reads(argsOf(x), name)) {
          blockers.push(x);
        }
      }
      if (blockers.length) {
        const list = [...new Set(blockers)].map((b) => `${b.keyword} on line ${b.line}`).join(', ');
        manual.push({ edit, reason: `${name} is also read by ${list}, which a build secret cannot reach: remove its default from ${at}, change those instructions to do without it, and ${viaSecret}` });
        continue;
      }
      const found = runs.filter((run) => !new RegExp(`--mount=(?=[^ \\t]*type=secret)(?=[^ \\t]*env=${name}(?![A-Za-z0-9_]))`).test(runFlags(text, run).text));
      // Inside the build the variable keeps its name; the one on the host (in .env) is unique in the run.
      const host = runs.length ? allocate(name, uri) : name;
      applied.push({ edit, name, id, host, uri, mount, drop: { from: eqAt, to: edit.end + quote.length, insert: '' }, runs: found, readers: runs.length });
    }
    // Secret mounts with `env=` need the docker/dockerfile:1.10 frontend.
    let syntax: Splice | undefined;
    if (applied.some((a) => a.runs.length)) {
      const support = parsed.syntax ? syntaxSupportsEnv(parsed.syntax.value) : undefined;
      if (!parsed.syntax) syntax = { from: parsed.bodyStart, to: parsed.bodyStart, insert: `# syntax=docker/dockerfile:1${eol}` };
      else if (!support?.ok && support?.raise) syntax = { from: parsed.syntax.valueStart, to: parsed.syntax.valueEnd, insert: support.raise };
      else if (!support?.ok) {
        for (const a of applied.filter((x) => x.runs.length)) {
          manual.push({ edit: a.edit, reason: `the # syntax= directive names ${parsed.syntax.value}, and RUN --mount=type=secret,env= needs docker/dockerfile 1.10 or later: point it at docker/dockerfile:1, then remove the default of ${a.name} and give each RUN that reads it \`${a.mount}\`` });
        }
        applied.splice(0, applied.length, ...applied.filter((x) => !x.runs.length));
      }
    }
    if (!applied.length) return { text, manual, notes: [] };
    const splices: Splice[] = applied.map((a) => a.drop);
    if (syntax && applied.some((a) => a.runs.length)) splices.push(syntax);
    const mounts = new Map<Instruction, string[]>();
    for (const a of applied) for (const run of a.runs) mounts.set(run, [...new Set([...(mounts.get(run) ?? []), a.mount])]);
    for (const [run, list] of mounts) splices.push({ from: run.argsStart, to: run.argsStart, insert: list.map((m) => `${m} `).join('') });
    const notes: string[] = [];
    const out = applySplices(text, splices);
    // The result must read as the same instructions, with the defaults gone and the mounts in place.
    const again = parseDockerfile(out);
    const same = again.instructions.length === parsed.instructions.length && again.instructions.every((x, k) => x.keyword === parsed.instructions[k].keyword);
    const mounted = [...mounts].every(([run, list]) => {
      const k = parsed.instructions.indexOf(run);
      const flags = runFlags(out, again.instructions[k]).text;
      return list.every((m) => flags.includes(m));
    });
    if (!same || !mounted) {
      return { text, manual: [...manual, ...applied.map((a) => ({ edit: a.edit, reason: 'the rewritten Dockerfile would not read as the same instructions: remove the default and add the secret mounts by hand' }))], notes: [] };
    }
    const secrets = applied.filter((a) => a.readers > 0);
    const unused = applied.filter((a) => a.readers === 0);
    if (secrets.length) {
      const pairs = [...new Map(secrets.map((a) => [a.host, { id: a.id, name: a.name, host: a.host }])).values()];
      notes.push(
        `${context.file}: ${pairs.map((p) => (p.host === p.name ? p.name : `${p.name} (${p.host} in .env)`)).join(', ')} now reach${pairs.length === 1 ? 'es' : ''} the RUN instructions as ${pairs.length === 1 ? 'a BuildKit secret (recorded in .env as a store reference)' : 'BuildKit secrets (recorded in .env as store references)'}: build with \`${buildCommand(pairs)}\` (BuildKit, docker/dockerfile 1.10 or later); a --build-arg for ${pairs.length === 1 ? 'it' : 'them'} no longer reaches those RUNs`,
      );
    }
    if (unused.length) {
      notes.push(`${context.file}: no RUN reads ${unused.map((a) => a.name).join(', ')}: ${unused.length === 1 ? 'its default was' : 'their defaults were'} dropped and nothing else changed`);
    }
    const envEntries = [...new Map(secrets.map((a) => [a.host, { name: a.host, uri: a.uri }])).values()];
    return { text: out, manual, notes, envEntries };
  },
};
