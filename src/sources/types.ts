/** What a source hands to the detector: one file version, or a reference to a blob already scanned. */
export interface FileVersion {
  /** Path relative to the scanned root, with forward slashes. */
  path: string;
  data: Buffer;
}

/** A source's remarks for the report: skipped files, submodules, symlinks. */
export type Notes = string[];

/** Bytes that contain a NUL in their first 8000 bytes are binary (git's own test). */
export function isBinary(data: Uint8Array): boolean {
  const end = Math.min(data.length, 8000);
  for (let i = 0; i < end; i++) if (data[i] === 0) return true;
  return false;
}
