import { Box, Text, useInput } from 'ink';
import TextInput from 'ink-text-input';
import { useState } from 'react';
import { AwsTargetSchema, describeTarget, VaultTargetSchema, type StoreTarget } from '../../migrate/plan/schema.js';
import { colour, fit } from '../theme.js';

export type Backend = 'vault' | 'aws-secrets-manager';

export interface TargetEditorProps {
  backend: Backend;
  target: StoreTarget;
  onSubmit: (target: StoreTarget) => void;
  onCancel: () => void;
  width: number;
}

const FIELDS: Record<Backend, string[]> = { vault: ['mount', 'path', 'key'], 'aws-secrets-manager': ['name', 'key'] };
const BACKEND_NAMES: Record<Backend, string> = { vault: 'Vault', 'aws-secrets-manager': 'AWS Secrets Manager' };
const LABEL_WIDTH = 8;
// Pasted newlines and other controls become spaces (one for one, so the input's cursor stays put).
const CONTROLS = /[\u0000-\u001f\u007f]/g;

function initialValues(fields: string[], target: StoreTarget): Record<string, string> {
  const known = target as Record<string, unknown>;
  return Object.fromEntries(fields.map((field) => [field, typeof known[field] === 'string' ? (known[field] as string) : '']));
}

/**
 * Checks trimmed values: an empty field first, then the plan's own rules for a target, so what
 * is accepted here is what the plan file accepts.
 */
export function checkTarget(backend: Backend, values: Record<string, string>): { target: StoreTarget } | { field: string; message: string } {
  const fields = FIELDS[backend];
  const trimmed = Object.fromEntries(fields.map((field) => [field, (values[field] ?? '').trim()]));
  const empty = fields.find((field) => !trimmed[field]);
  if (empty) return { field: empty, message: `${empty} must not be empty` };
  const parsed = backend === 'vault' ? VaultTargetSchema.safeParse(trimmed) : AwsTargetSchema.safeParse(trimmed);
  if (parsed.success) return { target: parsed.data };
  const issue = parsed.error.issues[0];
  const field = String(issue.path[0] ?? fields[0]);
  return { field, message: `${field} ${issue.message}` };
}

/** Edits where a secret goes; owns its text input and reports the result by callback. */
export function TargetEditor({ backend, target, onSubmit, onCancel, width }: TargetEditorProps) {
  const fields = FIELDS[backend];
  const [values, setValues] = useState(() => initialValues(fields, target));
  const [focus, setFocus] = useState(0);
  const [error, setError] = useState<string>();

  useInput((_input, key) => {
    if (key.escape) onCancel();
    else if ((key.tab && key.shift) || key.upArrow) setFocus((at) => (at + fields.length - 1) % fields.length);
    else if (key.tab || key.downArrow) setFocus((at) => (at + 1) % fields.length);
  });

  const submit = () => {
    const checked = checkTarget(backend, values);
    if ('target' in checked) {
      onSubmit(checked.target);
      return;
    }
    setError(checked.message);
    setFocus(Math.max(0, fields.indexOf(checked.field)));
  };

  const preview = checkTarget(backend, values);
  const valueWidth = Math.max(1, width - LABEL_WIDTH - 2);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">
        {fit(`Store target (${BACKEND_NAMES[backend]})`, width)}
      </Text>
      {fields.map((field, index) => (
        <Box key={field} width={width} height={1} overflow="hidden">
          <Text bold={index === focus}>{`${index === focus ? '>' : ' '} ${field.padEnd(LABEL_WIDTH)}`}</Text>
          <Box width={valueWidth} height={1} overflow="hidden">
            {index === focus ? (
              <TextInput
                key={field}
                value={values[field]}
                onChange={(value) => {
                  setValues((current) => ({ ...current, [field]: value.replace(CONTROLS, ' ') }));
                  setError(undefined);
                }}
                onSubmit={submit}
              />
            ) : (
              <Text wrap="truncate">{fit(values[field], valueWidth)}</Text>
            )}
          </Box>
        </Box>
      ))}
      {error ? (
        <Text color={colour('red')} bold wrap="truncate">
          {fit(`! ${error}`, width)}
        </Text>
      ) : (
        <Text wrap="truncate">{fit('target' in preview ? `→ ${describeTarget(preview.target)}` : ' ', width) || ' '}</Text>
      )}
      <Text wrap="truncate">{fit('enter save · tab/↑↓ next field · esc cancel', width)}</Text>
    </Box>
  );
}
