import { z } from 'zod';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * How a rule decides: `regex` rules match a provider's token format; `entropy` rules bind a
 * high-entropy value to a secret-like name; `keyword` rules bind any literal to a secret-like name
 * (generic `password = "..."` assignments). The latter two go through the placeholder filters.
 * `structure` is the built-in IaC rule: a literal in a place the file format marks as secret
 * (src/iac); it has no regex of its own.
 */
export const DETECTORS = ['regex', 'entropy', 'keyword', 'structure'] as const;
export type DetectorKind = (typeof DETECTORS)[number];

export const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'rule ids are lower-case kebab-case'),
    description: z.string().min(1),
    provider: z.string().optional(),
    detector: z.enum(DETECTORS).default('regex'),
    keywords: z.array(z.string().min(2)).min(1, 'a rule needs at least one keyword for the prefilter'),
    regex: z.string().min(1),
    secretGroup: z.number().int().min(0).default(0),
    entropy: z.number().min(0).max(8).optional(),
    severity: z.enum(SEVERITIES),
    /** Values matching any of these (RE2, tested against the secret) are not reported. */
    allowRegexes: z.array(z.string()).optional(),
    examples: z
      .object({
        positive: z.array(z.string()).min(1, 'every rule needs a positive example'),
        negative: z.array(z.string()).default([]),
      })
      .strict(),
  })
  .strict();

export type RuleSpec = z.infer<typeof ruleSchema>;

export const rulePackSchema = z
  .object({
    rules: z.array(ruleSchema).min(1),
  })
  .strict();

export type RulePack = z.infer<typeof rulePackSchema>;
