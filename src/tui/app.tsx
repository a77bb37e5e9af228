import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import type { Key } from 'ink';
import type { Finding } from '../findings/types.js';
import type { ApplyReport } from '../migrate/apply/index.js';
import type { SecretStore } from '../migrate/backends/types.js';
import { describeTarget, type PlanBackend } from '../migrate/plan/schema.js';
import { newProgress, type ScanProgress } from '../scan/progress.js';
import { ApplyScreen } from './components/ApplyScreen.js';
import { DetailsScreen, type Snippet } from './components/DetailsScreen.js';
import { HelpBar, KeyMap } from './components/HelpBar.js';
import { ListScreen, listPageSize } from './components/ListScreen.js';
import { ReasonPrompt } from './components/ReasonPrompt.js';
import { reviewLines, reviewMaxScroll, ReviewScreen, type ReviewLine } from './components/ReviewScreen.js';
import { ScanScreen } from './components/ScanScreen.js';
import { SummaryScreen } from './components/SummaryScreen.js';
import { TargetEditor } from './components/TargetEditor.js';
import { cycle, SCOPES, SEVERITIES, SORT_KEYS, visibleRows, type Action, type ListView } from './model.js';
import type { MigrationSession } from './session.js';
import { secretAt, snippetsFor } from './snippets.js';
import { colour } from './theme.js';

export type Outcome = { kind: 'quit' } | { kind: 'saved'; planFile: string } | { kind: 'applied'; report: ApplyReport };

export interface AppProps {
  target: string;
  /** Scans the repository, reporting progress; resolves with the session to triage. */
  load: (onProgress: (progress: ScanProgress) => void) => Promise<MigrationSession>;
  /** The store of the session's current backend (it can be switched with `b`). */
  openStore: (backend: PlanBackend) => SecretStore;
  onDone: (outcome: Outcome) => void;
}

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/** The key a single character of a multi-key read stands for. */
function keyOf(char: string): Key {
  if (char === '\r' || char === '\n') return { ...NO_KEY, return: true };
  if (char === '\x1b') return { ...NO_KEY, escape: true };
  if (char === '\x7f' || char === '\b') return { ...NO_KEY, backspace: true };
  return NO_KEY;
}

type Screen = 'scanning' | 'list' | 'details' | 'edit' | 'reason' | 'review' | 'applying' | 'summary' | 'help' | 'error';
type ApplyItem = Parameters<typeof ApplyScreen>[0]['items'][number];

export function App({ target, load, openStore, onDone }: AppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const width = Math.max(40, stdout?.columns ?? 80);
  const height = Math.max(12, stdout?.rows ?? 24);
  const body = height - 2; // help bar and message line

  const [screen, setScreen] = useState<Screen>('scanning');
  const [back, setBack] = useState<Screen>('list');
  const [progress, setProgress] = useState<ScanProgress>(newProgress());
  const [started] = useState(() => Date.now());
  const [elapsed, setElapsed] = useState(0);
  const [session, setSession] = useState<MigrationSession | null>(null);
  const [, setVersion] = useState(0); // decisions live in the session; bump to redraw
  const [view, setView] = useState<ListView>({ sort: 'severity', scope: 'all', search: '' });
  const [searching, setSearching] = useState(false);
  const [cursor, setCursor] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [message, setMessage] = useState('');
  const [snippets, setSnippets] = useState<Snippet[]>([]);
  const [revealed, setRevealed] = useState<string | undefined>(undefined);
  const [scroll, setScroll] = useState(0);
  const [review, setReview] = useState<ReviewLine[]>([]);
  const [items, setItems] = useState<ApplyItem[]>([]);
  const [report, setReport] = useState<ApplyReport | null>(null);
  const [error, setError] = useState('');

  const finish = (outcome: Outcome) => {
    onDone(outcome);
    // Out of the effect that handled the key: Ink ignores an exit requested in mid-commit.
    setTimeout(() => exit(), 0);
  };

  useEffect(() => {
    if (screen !== 'scanning') return;
    const timer = setInterval(() => setElapsed(Date.now() - started), 100);
    load((p) => setProgress({ ...p }))
      .then((s) => {
        setSession(s);
        setScreen('list');
      })
      .catch((e: Error) => {
        setError(e.message);
        setScreen('error');
      })
      .finally(() => clearInterval(timer));
    return () => clearInterval(timer);
  }, []);

  const rows = useMemo(() => (session ? visibleRows(session.rows, view) : []), [session, view]);
  const row = rows[Math.min(cursor, rows.length - 1)];
  const redraw = () => setVersion((v) => v + 1);
  /** The secrets a key acts on: the selection, else the row under the cursor. */
  const targets = () => (selected.size ? [...selected] : row ? [row.id] : []);

  const decide = (action: Action | undefined, ids = targets()) => {
    if (!session || !ids.length) return;
    session.decide(ids, { action, ...(action !== 'false-positive' ? { reason: undefined } : {}) });
    setMessage(`${ids.length} secret${ids.length === 1 ? '' : 's'}: ${action ?? 'undecided'}`);
    setSelected(new Set());
    redraw();
  };

  const openDetails = () => {
    if (!session || !row) return;
    setScroll(0);
    setRevealed(undefined);
    setSnippets([]);
    setScreen('details');
    void snippetsFor(session.options.root, row.finding).then(setSnippets);
  };

  const toggleReveal = async () => {
    if (!session || !row) return;
    if (revealed !== undefined) {
      setRevealed(undefined);
      setSnippets(await snippetsFor(session.options.root, row.finding));
      return;
    }
    const secret = await secretAt(session.options.root, row.finding);
    setRevealed(secret ?? '');
    setSnippets(await snippetsFor(session.options.root, row.finding, secret));
  };

  const startReview = async () => {
    if (!session) return;
    if (!session.count('migrate') && !session.count('false-positive')) {
      setMessage('nothing to do yet: mark secrets to migrate (m) or as false positives (f) first');
      return;
    }
    setMessage('preparing the review (a dry run against the store)…');
    try {
      const preview = await session.preview(openStore(session.backend));
      setReview(reviewLines({ ...preview, width }));
      setScroll(0);
      setMessage('');
      setScreen('review');
    } catch (e) {
      setMessage(`cannot prepare the review: ${(e as Error).message}`);
    }
  };

  const runApply = async () => {
    if (!session) return;
    const plan = session.plan();
    setItems(plan.secrets.filter((s) => s.action === 'migrate').map((s) => ({ id: s.id, rule: s.rule, redacted: s.redacted ?? '', target: describeTarget(s.target), state: 'pending' })));
    setScreen('applying');
    try {
      const result = await session.apply(openStore(session.backend), (event) => {
        if (event.type === 'secret-start') setItems((all) => all.map((i) => (i.id === event.id ? { ...i, state: 'running' } : i)));
        if (event.type === 'secret-end') {
          const r = event.report;
          const state: ApplyItem['state'] = r.status === 'stopped' ? 'failed' : r.status === 'migrated' || r.status === 'already-migrated' ? 'done' : 'skipped';
          setItems((all) => all.map((i) => (i.id === r.id ? { ...i, state, detail: r.reason } : i)));
        }
      });
      setReport(result);
      setScroll(0);
      setScreen('summary');
    } catch (e) {
      setError((e as Error).message);
      setScreen('error');
    }
  };

  // Keys are handled one at a time, each after the render the previous one caused, so a key
  // always sees the state its predecessor left (a terminal may deliver "/env" or "am" in one read).
  const queued = useRef<{ input: string; key: Key }[]>([]);
  const [, setTick] = useState(0);
  useEffect(() => {
    const next = queued.current.shift();
    if (next === undefined) return;
    handle(next.input, next.key);
    setTick((t) => t + 1);
  });
  useInput((input, key) => {
    if (screen === 'edit' || screen === 'reason') return; // their text inputs take the keys
    if (input.length > 1 && !key.ctrl && !key.meta) queued.current.push(...[...input].map((c) => ({ input: c, key: keyOf(c) })));
    else queued.current.push({ input, key });
    setTick((t) => t + 1);
  });

  function handle(input: string, key: Key): void {
    if (screen === 'scanning' || screen === 'applying' || screen === 'edit' || screen === 'reason') return;
    if (screen === 'error') return finish({ kind: 'quit' });
    if (screen === 'help') return setScreen(back);
    if (screen === 'summary') {
      if (input === 'q' || key.escape || key.return) return finish({ kind: 'applied', report: report! });
      if (key.upArrow || input === 'k') setScroll((s) => Math.max(0, s - 1));
      if (key.downArrow || input === 'j') setScroll((s) => s + 1);
      return;
    }
    if (screen === 'review') {
      if (input === 'y') return void runApply();
      if (input === 'n' || key.escape) return setScreen('list');
      if (key.upArrow || input === 'k') setScroll((s) => Math.max(0, s - 1));
      if (key.downArrow || input === 'j') setScroll((s) => Math.min(reviewMaxScroll(review, body), s + 1));
      if (key.pageUp) setScroll((s) => Math.max(0, s - body));
      if (key.pageDown) setScroll((s) => Math.min(reviewMaxScroll(review, body), s + body));
      return;
    }
    if (screen === 'list' && searching) {
      setCursor(0);
      if (key.escape) {
        setSearching(false);
        return setView((v) => ({ ...v, search: '' }));
      }
      if (key.return) return setSearching(false);
      if (key.backspace || key.delete) return setView((v) => ({ ...v, search: v.search.slice(0, -1) }));
      if (key.ctrl || key.meta) return;
      const text = input.replace(/[\x00-\x1f\x7f]/g, '');
      if (text) setView((v) => ({ ...v, search: v.search + text }));
      return;
    }
    if (input === '?') {
      setBack(screen);
      return setScreen('help');
    }
    if (input === 'm') return decide('migrate', screen === 'details' && row ? [row.id] : targets());
    if (input === 's') return decide('skip', screen === 'details' && row ? [row.id] : targets());
    if (input === 'u') return decide(undefined, screen === 'details' && row ? [row.id] : targets());
    if (input === 'f' && row) {
      setBack(screen);
      return setScreen('reason');
    }
    if (input === 'e' && row) {
      setBack(screen);
      return setScreen('edit');
    }
    if (screen === 'details') {
      if (key.escape || key.return || key.leftArrow) {
        setRevealed(undefined);
        return setScreen('list');
      }
      if (input === 'r') return void toggleReveal();
      if (key.upArrow || input === 'k') setScroll((s) => Math.max(0, s - 1));
      if (key.downArrow || input === 'j') setScroll((s) => s + 1);
      return;
    }
    // list
    if (input === 'q') return finish({ kind: 'quit' });
    if (input === 'w' && session) return finish({ kind: 'saved', planFile: session.savePlan() });
    if (key.upArrow || input === 'k') setCursor((c) => Math.max(0, c - 1));
    if (key.downArrow || input === 'j') setCursor((c) => Math.min(Math.max(0, rows.length - 1), c + 1));
    if (key.pageUp) setCursor((c) => Math.max(0, c - listPageSize(body)));
    if (key.pageDown) setCursor((c) => Math.min(Math.max(0, rows.length - 1), c + listPageSize(body)));
    if (key.return) openDetails();
    if (input === ' ' && row) {
      const next = new Set(selected);
      if (next.has(row.id)) next.delete(row.id);
      else next.add(row.id);
      setSelected(next);
      setCursor((c) => Math.min(rows.length - 1, c + 1));
    }
    if (input === 'a') setSelected(rows.every((r) => selected.has(r.id)) ? new Set() : new Set(rows.map((r) => r.id)));
    if (input === 'o') setView((v) => ({ ...v, sort: cycle(SORT_KEYS, v.sort) }));
    if (input === 'v') {
      setView((v) => ({ ...v, scope: cycle(SCOPES, v.scope) }));
      setCursor(0);
    }
    if (input === 'l') {
      setView((v) => ({ ...v, severity: cycle([undefined, ...SEVERITIES], v.severity) }));
      setCursor(0);
    }
    if (input === '/') {
      setSearching(true);
      setView((v) => ({ ...v, search: '' }));
    }
    if (key.escape && view.search) setView((v) => ({ ...v, search: '' }));
    if (input === 'r') void startReview();
    if (input === 'b' && session) {
      session.switchBackend();
      setMessage(`every secret now goes to ${session.backend.type === 'vault' ? `Vault (mount ${session.backend.mount})` : 'AWS Secrets Manager'}; targets reset to its defaults`);
      redraw();
    }
  }

  const decision = row && session ? session.decisions.get(row.id) : undefined;
  let main: ReactElement;
  switch (screen) {
    case 'scanning':
      main = <ScanScreen target={target} progress={progress} elapsedMs={elapsed} width={width} />;
      break;
    case 'error':
      main = (
        <Box flexDirection="column">
          <Text color={colour('red')}>vaultsweep: {error}</Text>
          <Text>press any key to leave</Text>
        </Box>
      );
      break;
    case 'help':
      main = <KeyMap width={width} height={body} />;
      break;
    case 'details':
      main = row && decision ? <DetailsScreen row={row} decision={decision} snippets={snippets} secret={revealed} scroll={scroll} width={width} height={body} /> : <Text>no secret</Text>;
      break;
    case 'edit':
      main =
        row && decision && session ? (
          <TargetEditor
            key={row.id}
            backend={session.backend.type}
            target={decision.target}
            width={width}
            onSubmit={(t) => {
              session.decide([row.id], { target: t, action: session.decisions.get(row.id)?.action ?? 'migrate' });
              setMessage(`${row.rule} → ${describeTarget(t)}`);
              redraw();
              setScreen(back);
            }}
            onCancel={() => setScreen(back)}
          />
        ) : (
          <Text>no secret</Text>
        );
      break;
    case 'reason':
      main = (
        <ReasonPrompt
          key={row?.id}
          title={`Why is ${row?.rule ?? 'this'} ${row?.redacted ?? ''} not a secret? (written to .vaultsweepignore)`}
          width={width}
          onSubmit={(reason) => {
            const ids = back === 'details' && row ? [row.id] : targets();
            session?.decide(ids, { action: 'false-positive', reason });
            setSelected(new Set());
            setMessage(`${ids.length} marked as false positive`);
            redraw();
            setScreen(back);
          }}
          onCancel={() => setScreen(back)}
        />
      );
      break;
    case 'review':
      main = <ReviewScreen lines={review} scroll={scroll} width={width} height={body} />;
      break;
    case 'applying':
      main = <ApplyScreen items={items} width={width} height={body} />;
      break;
    case 'summary':
      main = report ? <SummaryScreen report={report} falsePositives={session?.count('false-positive') ?? 0} planFile={session?.options.planFile} width={width} height={body} scroll={scroll} /> : <Text />;
      break;
    default:
      main = (
        <ListScreen
          rows={rows}
          total={session?.rows.length ?? 0}
          decisions={session?.decisions ?? new Map()}
          cursor={Math.min(cursor, Math.max(0, rows.length - 1))}
          selected={selected}
          view={view}
          searching={searching}
          width={width}
          height={body}
        />
      );
  }
  return (
    <Box flexDirection="column" width={width}>
      <Box flexDirection="column" height={body}>
        {main}
      </Box>
      <Text color={colour('yellow')} wrap="truncate">
        {message || ' '}
      </Text>
      {screen === 'review' || screen === 'summary' ? <Text> </Text> : <HelpBar screen={screen === 'help' || screen === 'error' ? 'list' : screen} width={width} />}
    </Box>
  );
}

export type { Finding };

