/**
 * A token estimate made before a request is sent, for the tokens-per-minute limiter. It is
 * corrected with the billed count once the response arrives, so it only has to be close
 * and cheap: ~4 characters per token for English, plus the per-message overhead chat
 * formats add.
 */
const CHARS_PER_TOKEN = 4;
const TOKENS_PER_MESSAGE = 4;

export interface EstimableMessage {
  readonly content?: unknown;
}

export function estimatePromptTokens(messages: readonly EstimableMessage[]): number {
  let tokens = 3;
  for (const message of messages) {
    const text = typeof message.content === 'string' ? message.content : JSON.stringify(message.content ?? '');
    tokens += TOKENS_PER_MESSAGE + Math.ceil(text.length / CHARS_PER_TOKEN);
  }
  return tokens;
}
