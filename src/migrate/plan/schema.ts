import { z } from 'zod';

/**
 * The migration plan: what `vaultsweep migrate` writes and `vaultsweep apply` reads. A person
 * reviews and edits it, so every field has a plain name and the file never holds a secret value:
 * values are read back from the files at apply time and checked against `secretSha256`.
 */

export const PLAN_VERSION = 1;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits (a SHA-256)');
const commitId = z.string().regex(/^[0-9a-f]{7,64}$/, 'must be a git commit id');
const position = z.number().int().positive();

/** A repository-relative path that stays inside the repository. */
const repoPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(p), 'must be relative to the repository root')
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'must not leave the repository (no ".." segments)')
  .refine((p) => !p.includes('\0'), 'must not contain NUL');

export const VaultBackendSchema = z
  .object({
    type: z.literal('vault'),
    mount: z.string().min(1).default('secret'),
    namespace: z.string().min(1).optional(),
  })
  .strict();

export const AwsBackendSchema = z
  .object({
    type: z.literal('aws-secrets-manager'),
    region: z.string().min(1).optional(),
    kmsKeyId: z.string().min(1).optional(),
    tags: z.record(z.string().min(1).max(128), z.string().max(256)).default({}),
  })
  .strict();

export const BackendSchema = z.discriminatedUnion('type', [VaultBackendSchema, AwsBackendSchema]);

/** Vault: a KV path inside a mount and the key inside that secret's data. */
export const VaultTargetSchema = z
  .object({
    mount: z.string().min(1),
    path: z
      .string()
      .min(1)
      .regex(/^[A-Za-z0-9._\-/]+$/, 'may contain letters, digits, ".", "_", "-" and "/" only')
      .refine((p) => !p.startsWith('/') && !p.endsWith('/') && !p.includes('//'), 'must not start or end with "/" or contain "//"')
      .refine((p) => !p.split('/').some((s) => s === '.' || s === '..'), 'must not contain "." or ".." segments'),
    key: z.string().min(1).max(256),
  })
  .strict();

/** Secrets Manager: the secret's name, and the key inside its JSON SecretString. */
export const AwsTargetSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(512)
      .regex(/^[A-Za-z0-9/_+=.@-]+$/, 'may contain letters, digits and /_+=.@- only')
      .refine((n) => !/-[A-Za-z0-9]{6}$/.test(n), 'must not end with "-" and six characters (Secrets Manager reads that as its own suffix)'),
    key: z.string().min(1).max(256),
  })
  .strict();

const ContextSchema = z.object({ format: z.string(), path: z.string(), key: z.string() }).passthrough();

export const LocationSchema = z
  .object({
    file: repoPath,
    line: position,
    column: position,
    endLine: position,
    endColumn: position,
    /** null: the working tree; a commit: a location only in history (nothing to rewrite). */
    commit: commitId.nullable().default(null),
    context: ContextSchema.optional(),
    /** A rewriter's name, `manual` (no automatic rewrite: the summary says what to do), or `none` (history). */
    rewrite: z.string().min(1),
  })
  .strict()
  .refine((l) => l.endLine > l.line || (l.endLine === l.line && l.endColumn > l.column), {
    message: 'must end after it starts (endLine/endColumn)',
  });

export const HistorySchema = z
  .object({
    firstSeen: z.object({ commit: commitId, date: z.string(), author: z.string() }).strict().nullable().default(null),
    commits: z.array(commitId).default([]),
  })
  .strict();

export const PlanSecretSchema = z
  .object({
    id: z.string().min(1),
    /**
     * `migrate`: store it and rewrite its locations; `skip`: leave it alone (still listed for
     * rotation); `false-positive`: not a secret: apply adds its id to `.vaultsweepignore` with `reason`.
     */
    action: z.enum(['migrate', 'skip', 'false-positive']).default('migrate'),
    reason: z.string().optional(),
    rule: z.string().min(1),
    description: z.string().optional(),
    secretSha256: sha256,
    redacted: z.string().optional(),
    target: z.union([VaultTargetSchema, AwsTargetSchema]),
    locations: z.array(LocationSchema).min(1),
    history: HistorySchema.default({}),
  })
  .strict();

/** A secret that is only in history: nothing to migrate, it must be rotated. */
export const HistoryOnlySchema = z
  .object({
    id: z.string().min(1),
    rule: z.string().min(1),
    secretSha256: sha256,
    redacted: z.string().optional(),
    locations: z
      .array(
        z
          .object({ file: z.string(), commit: commitId, line: position, column: position, endLine: position, endColumn: position, context: ContextSchema.optional() })
          .strict(),
      )
      .default([]),
    history: HistorySchema.default({}),
  })
  .strict();

/** How the rewriters write references; chosen at `migrate` time, kept in the plan. */
export const RewriteOptionsSchema = z
  .object({
    /** Terraform: ephemeral resources and write-only arguments, so the secret stays out of the state. */
    terraformEphemeral: z.boolean().default(false),
    /** Kubernetes: the External Secrets Operator store an ExternalSecret refers to. */
    secretStore: z.string().min(1).default('vaultsweep'),
    secretStoreKind: z.enum(['ClusterSecretStore', 'SecretStore']).default('ClusterSecretStore'),
  })
  .strict();

export const PlanSchema = z
  .object({
    version: z.literal(PLAN_VERSION),
    createdAt: z.string().optional(),
    /** The repository's name, used in default store paths and tags. */
    repository: z.string().min(1),
    backend: BackendSchema,
    rewriteOptions: RewriteOptionsSchema.default({}),
    secrets: z.array(PlanSecretSchema).default([]),
    historyOnly: z.array(HistoryOnlySchema).default([]),
  })
  .strict();

export type Plan = z.infer<typeof PlanSchema>;
export type PlanBackend = z.infer<typeof BackendSchema>;
export type PlanSecret = z.infer<typeof PlanSecretSchema>;
export type RewriteOptions = z.infer<typeof RewriteOptionsSchema>;
export type PlanLocation = z.infer<typeof LocationSchema>;
export type VaultTarget = z.infer<typeof VaultTargetSchema>;
export type AwsTarget = z.infer<typeof AwsTargetSchema>;
export type StoreTarget = VaultTarget | AwsTarget;
export type HistoryOnlySecret = z.infer<typeof HistoryOnlySchema>;

export function isVaultTarget(t: StoreTarget): t is VaultTarget {
  return 'mount' in t;
}

/** One line naming a target, for messages and the journal. */
export function describeTarget(t: StoreTarget): string {
  return isVaultTarget(t) ? `${t.mount}/${t.path}#${t.key}` : `${t.name}#${t.key}`;
}
