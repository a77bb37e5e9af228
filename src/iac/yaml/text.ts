/**
 * The text of a file and the map from the parser's positions (UTF-16 code units of that text)
 * back to byte offsets in the file's UTF-8 bytes.
 */

export interface DecodedText {
  text: string;
  /** Byte offset in the file of a UTF-16 index of `text` (0..text.length). */
  toByte(index: number): number;
}

function isAscii(data: Buffer): boolean {
  for (let i = 0; i < data.length; i++) if (data[i] >= 0x80) return false;
  return true;
}

/**
 * Decodes UTF-8 with its own decoder so that positions map exactly even for invalid bytes: every
 * byte that does not start a well-formed sequence becomes one U+FFFD and maps back to itself.
 * ASCII files (the usual case) are their own map.
 */
export function decodeUtf8(data: Buffer): DecodedText {
  if (isAscii(data)) {
    const length = data.length;
    return { text: data.toString('latin1'), toByte: (i) => Math.max(0, Math.min(i, length)) };
  }
  const n = data.length;
  // At most one UTF-16 unit per byte, so n + 1 entries are enough.
  const map = new Uint32Array(n + 1);
  const parts: string[] = [];
  const units = new Uint16Array(8192);
  let fill = 0;
  let u = 0; // UTF-16 units emitted
  const flush = (): void => {
    if (fill > 0) {
      parts.push(String.fromCharCode.apply(null, Array.from(units.subarray(0, fill))));
      fill = 0;
    }
  };
  const push = (unit: number, byteAt: number): void => {
    if (fill === units.length) flush();
    units[fill++] = unit;
    map[u++] = byteAt;
  };
  let i = 0;
  while (i < n) {
    const b = data[i];
    if (b < 0x80) {
      push(b, i);
      i += 1;
      continue;
    }
    let need = 0;
    let cp = 0;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      cp = b & 0x0f;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      cp = b & 0x07;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    }
    let ok = need > 0 && i + need < n;
    if (ok) {
      for (let k = 1; k <= need; k++) {
        const c = data[i + k];
        const min = k === 1 ? lo : 0x80;
        const max = k === 1 ? hi : 0xbf;
        if (c < min || c > max) {
          ok = false;
          break;
        }
        cp = (cp << 6) | (c & 0x3f);
      }
    }
    if (!ok) {
      push(0xfffd, i);
      i += 1;
      continue;
    }
    if (cp >= 0x10000) {
      const v = cp - 0x10000;
      push(0xd800 + (v >> 10), i);
      push(0xdc00 + (v & 0x3ff), i);
    } else {
      push(cp, i);
    }
    i += need + 1;
  }
  flush();
  map[u] = n;
  const text = parts.join('');
  const total = u;
  return {
    text,
    toByte: (index) => {
      if (index <= 0) return 0;
      if (index >= total) return n;
      const at = map[index];
      // An index inside a surrogate pair (never a scalar boundary) maps past the pair.
      if (index > 0 && map[index - 1] === at && (text.charCodeAt(index) & 0xfc00) === 0xdc00) return at + 4;
      return at;
    },
  };
}
