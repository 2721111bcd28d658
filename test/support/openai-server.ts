/**
 * A local OpenAI-compatible server for tests: a real HTTP server on 127.0.0.1 speaking the
 * Chat Completions wire protocol as the `openai` package expects it.
 *
 * - Caller requests (plain chat) are answered by a scripted patient: `patient(request)`,
 *   by default the lines of `script` in turn and then a goodbye with the hang-up token.
 * - Judge requests (`response_format: json_schema`) get JSON matching the requested schema,
 *   with a pass/fail per criterion from `judge(criterion)`.
 * - `stream: true` answers as SSE `chat.completion.chunk` events ending in `data: [DONE]`,
 *   with a usage chunk when `stream_options.include_usage` is set.
 * - Token counts are deterministic (words, not characters, so they differ from loadspec's
 *   own estimate) and every billed response lands in `ledger`, so tests can check that
 *   what loadspec recorded equals what the server billed.
 * - `inject()` queues faults: an error status with headers (429 + retry-after...), or a
 *   delay before the answer (slow responses, timeouts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type RequestKind = 'caller' | 'judge';

export interface ChatBody {
  readonly model: string;
  readonly messages: readonly { readonly role: string; readonly content: string }[];
  readonly stream?: boolean;
  readonly stream_options?: { readonly include_usage?: boolean };
  readonly temperature?: number;
  readonly response_format?: {
    readonly type: string;
    readonly json_schema?: { readonly name: string; readonly strict?: boolean; readonly schema: Record<string, unknown> };
  };
}

export type Fault =
  | { readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly message?: string; readonly type?: string; readonly code?: string }
  | { readonly delayMs: number };

export interface LedgerEntry {
  requests: number;
  promptTokens: number;
  completionTokens: number;
}

export interface Ledger extends LedgerEntry {
  readonly byModel: Record<string, LedgerEntry>;
  readonly byKind: Record<RequestKind, LedgerEntry>;
}

export interface ReceivedRequest {
  readonly atMs: number;
  readonly kind: RequestKind;
  readonly model: string;
  readonly stream: boolean;
  /** 0 while the answer is held back; 499 when the client gave up first. */
  status: number;
  readonly body: ChatBody;
  readonly authorization: string | undefined;
}

export interface OpenAiServerOptions {
  /** Required bearer key; a request without it gets 401 echoing the key it sent (as OpenAI does). */
  readonly apiKey?: string;
  /** Lines the patient says in turn before hanging up. */
  readonly script?: readonly string[];
  /** Replaces the script: the raw reply for a caller request. */
  readonly patient?: (body: ChatBody, callerLinesSoFar: number) => string;
  /** Verdict per criterion; default: every criterion passes. */
  readonly judge?: (criterion: string, body: ChatBody) => { readonly passed: boolean; readonly reason: string };
  /** Requests of this kind are refused (message.refusal instead of content), as safety systems do. */
  readonly refuse?: RequestKind;
}

export interface OpenAiTestServer {
  /** `http://127.0.0.1:PORT/v1`, to use as llm.baseURL / OPENAI_BASE_URL. */
  readonly baseURL: string;
  readonly ledger: Ledger;
  readonly received: ReceivedRequest[];
  /** Queues a fault for the next `times` requests (of one kind, when given). */
  inject(fault: Fault, options?: { readonly times?: number; readonly kind?: RequestKind }): void;
  close(): Promise<void>;
}

export const HANGUP_LINE = 'Thank you, that is all. Goodbye. <HANGUP>';
const DEFAULT_SCRIPT = ['Hi, I would like to book an appointment, please.', 'Tuesday morning works for me.'];

/**
 * A patient who books an appointment with loadspec's demo receptionist: asks to book,
 * gives the date of birth from the persona in the system prompt, accepts the slot, then
 * says goodbye and hangs up.
 */
export function clinicPatient(body: ChatBody, linesSoFar: number): string {
  const system = body.messages[0]?.content ?? '';
  const field = (name: string): string | undefined => new RegExp(`^- ${name}: (.*)$`, 'm').exec(system)?.[1];
  const lastAgent = [...body.messages].reverse().find((message) => message.role === 'user')?.content.toLowerCase() ?? '';
  if (linesSoFar === 0) return `Hi, this is ${field('firstName') ?? 'Sam'}, I'd like to book an appointment.`;
  if (lastAgent.includes('date of birth')) return `Sure, it's ${field('dob') ?? '1950-01-01'}.`;
  if (lastAgent.includes('does that work')) return 'Yes, that works for me.';
  return 'Thank you, goodbye. <HANGUP>';
}

/** Deterministic "tokens": words plus a small overhead per message. */
export function billPrompt(messages: ChatBody['messages']): number {
  return messages.reduce((sum, message) => sum + 3 + countWords(message.content), 2);
}
export function billCompletion(text: string): number {
  return countWords(text) + 1;
}
function countWords(text: string): number {
  return text.split(/\s+/).filter((word) => word !== '').length;
}

function emptyEntry(): LedgerEntry {
  return { requests: 0, promptTokens: 0, completionTokens: 0 };
}

function addTo(entry: LedgerEntry, promptTokens: number, completionTokens: number): void {
  entry.requests++;
  entry.promptTokens += promptTokens;
  entry.completionTokens += completionTokens;
}

function criteriaOf(body: ChatBody): string[] {
  const schema = body.response_format?.json_schema?.schema as
    | { properties?: { criteria?: { items?: { properties?: { criterion?: { enum?: string[] } } } } } }
    | undefined;
  return schema?.properties?.criteria?.items?.properties?.criterion?.enum ?? [];
}

export async function startOpenAiServer(options: OpenAiServerOptions = {}): Promise<OpenAiTestServer> {
  const ledger: Ledger = { ...emptyEntry(), byModel: {}, byKind: { caller: emptyEntry(), judge: emptyEntry() } };
  const received: ReceivedRequest[] = [];
  const faults: { fault: Fault; times: number; kind?: RequestKind }[] = [];
  let nextId = 0;

  function takeFault(kind: RequestKind): Fault | undefined {
    const index = faults.findIndex((entry) => entry.kind === undefined || entry.kind === kind);
    const entry = faults[index];
    if (!entry) return undefined;
    if (--entry.times <= 0) faults.splice(index, 1);
    return entry.fault;
  }

  function replyFor(body: ChatBody, kind: RequestKind): string {
    if (kind === 'judge') {
      const judge = options.judge ?? (() => ({ passed: true, reason: 'The transcript shows it.' }));
      return JSON.stringify({ criteria: criteriaOf(body).map((criterion) => ({ criterion, ...judge(criterion, body) })) });
    }
    const linesSoFar = body.messages.filter((message) => message.role === 'assistant').length;
    if (options.patient) return options.patient(body, linesSoFar);
    const script = options.script ?? DEFAULT_SCRIPT;
    return script[linesSoFar] ?? HANGUP_LINE;
  }

  function sendError(res: http.ServerResponse, status: number, fault: { headers?: Readonly<Record<string, string>>; message?: string; type?: string; code?: string }): void {
    const body = { error: { message: fault.message ?? `injected ${status}`, type: fault.type ?? (status === 429 ? 'requests' : 'server_error'), param: null, code: fault.code ?? null } };
    res.writeHead(status, { 'content-type': 'application/json', ...fault.headers });
    res.end(JSON.stringify(body));
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) => {
        if (!res.headersSent) sendError(res, 500, { message: String(error) });
        else res.destroy();
      });
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): Promise<void> {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      sendError(res, 404, { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' });
      return;
    }
    const body = JSON.parse(raw) as ChatBody;
    const kind: RequestKind = body.response_format?.type === 'json_schema' ? 'judge' : 'caller';
    const authorization = req.headers.authorization;
    // Logged on arrival (a slow answer's request is visible while it is held); status set when known.
    const entry: ReceivedRequest = { atMs: performance.timeOrigin + performance.now(), kind, model: body.model, stream: body.stream === true, status: 0, body, authorization };
    received.push(entry);
    const record = (status: number): void => {
      entry.status = status;
    };
    if (options.apiKey !== undefined && authorization !== `Bearer ${options.apiKey}`) {
      record(401);
      const sent = authorization?.replace(/^Bearer /, '') ?? '';
      sendError(res, 401, { message: `Incorrect API key provided: ${sent}.`, type: 'invalid_request_error', code: 'invalid_api_key' });
      return;
    }
    const fault = takeFault(kind);
    if (fault && 'delayMs' in fault) {
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      // The client gave up (timeout, abort): nothing is billed.
      if (res.destroyed || res.socket?.destroyed) return record(499);
    } else if (fault) {
      record(fault.status);
      sendError(res, fault.status, fault);
      return;
    }
    record(200);
    const refusal = options.refuse === kind ? "I'm sorry, I can't help with that." : null;
    const text = refusal ?? replyFor(body, kind);
    const promptTokens = billPrompt(body.messages);
    const completionTokens = billCompletion(text);
    const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
    const id = `chatcmpl-test${++nextId}`;
    const created = Math.floor(Date.now() / 1000);
    const headers = { 'x-request-id': `req_${nextId}`, 'x-ratelimit-limit-requests': '10000', 'x-ratelimit-remaining-requests': '9999', 'x-ratelimit-reset-requests': '6ms' };
    const bill = (): void => {
      addTo(ledger, promptTokens, completionTokens);
      addTo((ledger.byModel[body.model] ??= emptyEntry()), promptTokens, completionTokens);
      addTo(ledger.byKind[kind], promptTokens, completionTokens);
    };
    if (!body.stream) {
      bill();
      res.writeHead(200, { 'content-type': 'application/json', ...headers });
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: refusal ? null : text, refusal }, logprobs: null, finish_reason: 'stop' }],
          usage,
          system_fingerprint: 'fp_loadspec_test',
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...headers });
    const chunk = (delta: Record<string, unknown>, finish: string | null): string =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, system_fingerprint: 'fp_loadspec_test', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
    res.write(chunk({ role: 'assistant', content: '', refusal: null }, null));
    for (const piece of text.match(/\S+\s*/g) ?? []) res.write(chunk(refusal ? { refusal: piece } : { content: piece }, null));
    res.write(chunk({}, 'stop'));
    bill();
    if (body.stream_options?.include_usage) {
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage })}\n\n`);
    }
    res.end('data: [DONE]\n\n');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    ledger,
    received,
    inject(fault, injectOptions = {}) {
      faults.push({ fault, times: injectOptions.times ?? 1, ...(injectOptions.kind ? { kind: injectOptions.kind } : {}) });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
