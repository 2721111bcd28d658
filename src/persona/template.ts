/**
 * Handlebars templating for everything a spec lets users template: what callers say,
 * HTTP paths and bodies, WebSocket messages, LLM goals. Templates compile once per source
 * string and are cached, because the same few templates render for every call.
 *
 * Output is not HTML-escaped: it goes into JSON values, URLs and speech, never into HTML
 * (the report escapes on its own).
 */
import Handlebars from 'handlebars';

export interface TemplateContext {
  readonly persona: Readonly<Record<string, string>>;
  readonly scenario: string;
  readonly variant: string;
  /** 0-based turn index. */
  readonly turn: number;
  readonly call: { readonly id: string; readonly index: number };
  /** The server's id for the call, once the driver has one. */
  readonly callId?: string;
  /** The caller's line, in driver templates for a turn. */
  readonly text?: string;
}

const hb = Handlebars.create();
const cache = new Map<string, Handlebars.TemplateDelegate>();
const CACHE_LIMIT = 10_000;

/** Renders one template string. Strings without `{{` are returned as they are. */
export function renderTemplate(source: string, context: TemplateContext): string {
  if (!source.includes('{{')) return source;
  let compiled = cache.get(source);
  if (!compiled) {
    compiled = hb.compile(source, { noEscape: true, strict: false });
    // A spec has a bounded set of templates; the limit only guards against misuse as a library.
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(source, compiled);
  }
  return compiled(context);
}

/** Renders every string inside a JSON value (objects, arrays), leaving other values alone. */
export function renderJson(value: unknown, context: TemplateContext): unknown {
  if (typeof value === 'string') return renderTemplate(value, context);
  if (Array.isArray(value)) return value.map((item) => renderJson(item, context));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = renderJson(item, context);
    return out;
  }
  return value;
}

/** Compiles a template to surface syntax errors at spec load; returns the error text or null. */
export function templateError(source: string): string | null {
  try {
    hb.precompile(source);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error);
  }
}
