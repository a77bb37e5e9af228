import { Box, Text, useInput } from 'ink';
import TextInput from 'ink-text-input';
import { useState } from 'react';
import { fit } from '../theme.js';

export interface ReasonPromptProps {
  title: string;
  /** The reason on one line, trimmed; '' when the user gave none. */
  onSubmit: (reason: string) => void;
  onCancel: () => void;
  width: number;
}

const LABEL = '> reason: ';

/**
 * The reason is written to one line of .vaultsweepignore: pasted newlines and other controls
 * become spaces as they arrive (one for one, so the input's cursor stays in place).
 */
function withoutControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ');
}

/** Asks for one line of text (why a secret is a false positive); owns its input, reports by callback. */
export function ReasonPrompt({ title, onSubmit, onCancel, width }: ReasonPromptProps) {
  const [reason, setReason] = useState('');
  useInput((_input, key) => {
    if (key.escape) onCancel();
  });
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">
        {fit(title, width)}
      </Text>
      <Box width={width} height={1} overflow="hidden">
        <Text bold>{LABEL}</Text>
        <Box width={Math.max(1, width - LABEL.length)} height={1} overflow="hidden">
          <TextInput value={reason} onChange={(value) => setReason(withoutControls(value))} onSubmit={(value) => onSubmit(withoutControls(value).trim())} />
        </Box>
      </Box>
      <Text wrap="truncate">{fit('enter confirm (may be empty) · esc cancel', width)}</Text>
    </Box>
  );
}
