// Fake-secret factories in the real formats of each provider, driven by any integer source.
// Plain Node ESM, no dependencies. Used by scripts/synth/generate.mjs (seeded PRNG) and was used
// (with node:crypto randomInt) to author the bodies planted in fixtures/repos/*/repo.yaml.
//
// Every value produced here is random and fake: it was never issued by any provider.

import { createHmac } from 'node:crypto';

export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const DIGITS = '0123456789';
export const ALNUM = UPPER + LOWER + DIGITS;
export const BASE62 = DIGITS + UPPER + LOWER;
export const B64 = ALNUM + '+/';
export const B64URL = ALNUM + '-_';
export const AWS_B32 = UPPER + '234567';
export const HEX = '0123456789abcdef';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(str) {
  let c = 0xffffffff;
  for (const b of Buffer.from(str, 'utf8')) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function base62(n, width) {
  let s = '';
  do {
    s = BASE62[n % 62] + s;
    n = Math.floor(n / 62);
  } while (n > 0);
  return s.padStart(width, '0');
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');

const WORDS = [
  'Kestrel', 'Harbor', 'Granite', 'Falcon', 'Summer', 'Winter', 'Maple', 'Orchid', 'Copper', 'Lantern',
  'Meadow', 'Sparrow', 'Thunder', 'Velvet', 'Willow', 'Cobalt', 'Juniper', 'Pepper', 'Saturn', 'Tundra',
];

/**
 * @param {(n: number) => number} randInt returns an integer in [0, n)
 */
export function secretFactory(randInt) {
  const pick = (alphabet, n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[randInt(alphabet.length)];
    return s;
  };
  // Token bodies that should sit between word boundaries start and end with an alphanumeric.
  const body = (alphabet, n) => (n <= 2 ? pick(ALNUM, n) : pick(ALNUM, 1) + pick(alphabet, n - 2) + pick(ALNUM, 1));
  const bytes = (n) => Buffer.from(Array.from({ length: n }, () => randInt(256)));
  const digits = (n) => pick('123456789', 1) + pick(DIGITS, n - 1);
  // GitHub / npm style: 30 random base62 characters plus a 6-character base62 CRC32 of them.
  const checksummed = (prefix) => {
    const r = pick(ALNUM, 30);
    return prefix + r + base62(crc32(r), 6);
  };

  const f = {
    awsAccessKeyId: () => 'AKIA' + pick(AWS_B32, 16),
    awsSecretAccessKey: () => body(B64, 40),
    githubClassic: () => checksummed('ghp_'),
    githubOAuth: () => checksummed('gho_'),
    githubFineGrained: () => 'github_pat_' + pick(ALNUM, 22) + '_' + pick(ALNUM, 59),
    gitlabPat: () => 'glpat-' + body(B64URL, 20),
    slackBot: () => `xoxb-${digits(12)}-${digits(13)}-${pick(ALNUM, 24)}`,
    slackWebhook: () =>
      `https://hooks.slack.com/services/T${pick(UPPER + DIGITS, 8)}/B${pick(UPPER + DIGITS, 10)}/${pick(ALNUM, 24)}`,
    stripeLive: () => 'sk_live_51' + pick(ALNUM, 97),
    stripeLiveLegacy: () => 'sk_live_' + pick(ALNUM, 24),
    sendgrid: () => 'SG.' + body(B64URL, 22) + '.' + body(B64URL, 43),
    openaiProject: () => 'sk-proj-' + body(B64URL, 74) + 'T3BlbkFJ' + body(B64URL, 74),
    anthropic: () => 'sk-ant-api03-' + body(B64URL, 93) + 'AA',
    npm: () => checksummed('npm_'),
    hex: (n) => pick(HEX, n),
    alnum: (n) => pick(ALNUM, n),
    b64url: (n) => body(B64URL, n),
    /** a high-entropy generic credential (api_key / client_secret) */
    generic: (n = 40) => body(ALNUM + '-_', n),
    /** a low-entropy, human-made, real-looking password */
    humanPassword: () => {
      const w1 = WORDS[randInt(WORDS.length)];
      const w2 = WORDS[randInt(WORDS.length)];
      const sym = '!#%&*-_.@'[randInt(9)];
      return `${w1}${sym}${w2}${digits(2)}`;
    },
    uuid: () => {
      const h = pick(HEX, 32).split('');
      h[12] = '4';
      h[16] = '89ab'[randInt(4)];
      const s = h.join('');
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    },
    /** An HS256-signed JWT with a plausible payload. */
    jwt: (claims = {}) => {
      const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
      const iat = 1700000000 + randInt(20000000);
      const payload = b64url(
        JSON.stringify({ sub: f.uuid(), role: 'service', iat, exp: iat + 31536000, ...claims }),
      );
      const sig = createHmac('sha256', bytes(32)).update(`${header}.${payload}`).digest('base64url');
      return `${header}.${payload}.${sig}`;
    },
    /**
     * A PEM block that looks like an RSA private key (random base64 body behind a real DER prefix).
     * Not a usable key: for synthetic histories where openssl is not wanted. Fixture repositories
     * carry real throwaway keys generated with openssl instead.
     */
    fakeRsaPem: () => {
      const b64 = 'MIIEowIBAAKCAQEA' + bytes(1170).toString('base64').replace(/=+$/, '');
      const lines = b64.slice(0, 1588).match(/.{1,64}/g);
      return ['-----BEGIN RSA PRIVATE KEY-----', ...lines, '-----END RSA PRIVATE KEY-----'].join('\n');
    },
  };
  return f;
}
