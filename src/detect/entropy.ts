/** Shannon entropy in bits per symbol of a byte string. */
export function shannonEntropy(data: Uint8Array | string): number {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  if (bytes.length === 0) return 0;
  const counts = new Uint32Array(256);
  for (let i = 0; i < bytes.length; i++) counts[bytes[i]]++;
  let entropy = 0;
  for (let i = 0; i < 256; i++) {
    const c = counts[i];
    if (c === 0) continue;
    const p = c / bytes.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}
