import { describe, expect, it } from 'vitest';
import { loadRuleDir } from '../../src/detect/load-rules.js';
import { compileRules } from '../../src/detect/compile.js';
import { checkRuleExamples } from '../../src/detect/rule-examples.js';

const rules = loadRuleDir();

describe('bundled rules', () => {
  it('has at least 150 provider rules plus the generic detectors', () => {
    const providerRules = rules.filter((r) => r.detector === 'regex');
    expect(providerRules.length).toBeGreaterThanOrEqual(150);
    expect(rules.some((r) => r.detector === 'entropy')).toBe(true);
    expect(rules.some((r) => r.detector === 'keyword')).toBe(true);
  });

  it('all compile under RE2 into one rule set', () => {
    const set = compileRules(rules);
    expect(set.rules).toHaveLength(rules.length);
    expect(set.keywordSet).not.toBeNull();
  });

  it('every positive example is found and no negative example is', () => {
    const failures = checkRuleExamples(rules).map((f) => `${f.rule} ${f.kind}: ${JSON.stringify(f.example).slice(0, 120)} (${f.problem})`);
    expect(failures).toEqual([]);
  });

  it('every rule names a keyword that occurs in each of its positive examples', () => {
    const missing: string[] = [];
    for (const r of rules) {
      for (const example of r.examples.positive) {
        if (!r.keywords.some((k) => example.toLowerCase().includes(k.toLowerCase()))) missing.push(`${r.id}: ${example.slice(0, 60)}`);
      }
    }
    expect(missing).toEqual([]);
  });

  const providers = [
    'aws', 'gcp', 'azure', 'github', 'gitlab', 'bitbucket', 'slack', 'stripe', 'twilio', 'sendgrid', 'mailgun', 'mailchimp',
    'npm', 'pypi', 'rubygems', 'nuget', 'docker', 'vault', 'terraform', 'datadog', 'newrelic', 'sentry', 'pagerduty',
    'heroku', 'digitalocean', 'cloudflare', 'shopify', 'square', 'paypal', 'openai', 'anthropic', 'huggingface', 'okta',
    'auth0', 'atlassian', 'linear', 'discord', 'telegram', 'jwt', 'private-key', 'postgres', 'mysql', 'mongodb', 'redis', 'amqp',
  ];
  it.each(providers)('covers %s', (name) => {
    const needle = name.replace(/-/g, '');
    const hit = rules.some((r) => `${r.id} ${r.provider ?? ''}`.replace(/-/g, '').toLowerCase().includes(needle));
    expect(hit).toBe(true);
  });
});
