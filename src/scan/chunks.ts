import { hash } from 'node:crypto';
import { LineIndex } from '../detect/positions.js';
import type { RawMatch } from '../detect/scan-buffer.js';

/**
 * Content-defined chunks of file versions, so that a history scan reads every version but scans
 * each piece of text once. Consecutive versions of a file share most of their bytes; cutting at
 * blank lines (content, not offsets) keeps the unchanged pieces identical from one version to the
 * next, and an edit only makes the piece around it new.
 *
 * A chunk is at least MIN_CHUNK bytes and ends after a blank line, or at a line end past
 * MAX_CHUNK when there is none. PEM blocks and other multi-line secrets hold no blank line, so no
 * cut falls inside them unless a file has no blank line for MAX_CHUNK bytes.
 */
const MIN_CHUNK = 4096;
const MAX_CHUNK = 64 * 1024;
/** Lines before a chunk scanned with it (inline allow markers, a YAML parent key), and after it. */
const CONTEXT_LINES_BEFORE = 2;

export interface ChunkBounds {
  start: number;
  end: number;
}

export function chunkBounds(data: Buffer): ChunkBounds[] {
  const out: ChunkBounds[] = [];
  let start = 0;
  let nextBlank = -2; // -2: not searched yet, -1: none left
  while (start < data.length) {
    let end: number;
    if (data.length - start <= MIN_CHUNK) {
      end = data.length;
    } else {
      if (nextBlank !== -1 && nextBlank < start + MIN_CHUNK) nextBlank = data.indexOf('\n\n', start + MIN_CHUNK);
      if (nextBlank !== -1 && nextBlank + 2 - start <= MAX_CHUNK) {
        end = nextBlank + 2;
      } else {
        const lineEnd = data.indexOf(10, start + MAX_CHUNK);
        end = lineEnd === -1 ? data.length : lineEnd + 1;
      }
    }
    out.push({ start, end });
    start = end;
  }
  return out;
}

/** The window a chunk is scanned in: the chunk plus the lines just before it. */
export function scanWindow(data: Buffer, chunk: ChunkBounds): ChunkBounds {
  let start = chunk.start;
  for (let i = 0; i < CONTEXT_LINES_BEFORE && start > 0; i++) {
    const nl = data.lastIndexOf(10, start - 2);
    start = nl === -1 ? 0 : nl + 1;
  }
  return { start, end: chunk.end };
}

export function chunkKey(bytes: Uint8Array): string {
  return hash('sha1', bytes, 'base64');
}

/** A match kept per chunk: byte offsets relative to the chunk start, so it applies wherever the chunk recurs. */
export interface ChunkMatch {
  match: RawMatch;
  start: number;
  end: number;
}

/** Which chunks a blob is made of, in order, with their byte offsets in the blob. */
export interface BlobLayout {
  chunks: Int32Array;
  offsets: Int32Array;
}

/** Turns the matches of the chunks a blob holds back into matches with positions in that blob. */
export function blobMatches(data: Buffer, layout: BlobLayout, byChunk: Map<number, ChunkMatch[]>): RawMatch[] {
  const lines = new LineIndex(data);
  const out: RawMatch[] = [];
  for (let i = 0; i < layout.chunks.length; i++) {
    const found = byChunk.get(layout.chunks[i]);
    if (!found) continue;
    const base = layout.offsets[i];
    for (const { match, start, end } of found) {
      const from = lines.position(base + start);
      const to = lines.position(base + end);
      out.push({ ...match, start: base + start, end: base + end, line: from.line, column: from.column, endLine: to.line, endColumn: to.column });
    }
  }
  return out;
}
