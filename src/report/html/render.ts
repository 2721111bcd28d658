/**
 * Renders report.html from templates/: `report.hbs` is the page, `partials/<section>.hbs`
 * one partial per section, `report.css` and `report.js` are inlined. The page is one file
 * that opens from disk with no network.
 *
 * Escaping: the templates use `{{ }}` for every value, which escapes HTML; only the CSS,
 * the script and charts.ts's SVG (which escapes its own text) go in raw. A Content
 * Security Policy allows exactly the page's own style and script by hash, so even a
 * reply that slipped past escaping could not run.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { ReportView } from './view.js';

/** templates/ at the package root: three levels up from src/report/html and dist/report/html alike. */
export const TEMPLATES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'templates');

interface Compiled {
  readonly page: Handlebars.TemplateDelegate;
  readonly css: string;
  readonly js: string;
}

let cached: { dir: string; compiled: Compiled } | undefined;

function compile(dir: string): Compiled {
  if (cached?.dir === dir) return cached.compiled;
  const hbs = Handlebars.create();
  const partialsDir = path.join(dir, 'partials');
  for (const file of readdirSync(partialsDir).filter((f) => f.endsWith('.hbs'))) {
    hbs.registerPartial(path.basename(file, '.hbs'), readFileSync(path.join(partialsDir, file), 'utf8'));
  }
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  const compiled = {
    page: hbs.compile(readFileSync(path.join(dir, 'report.hbs'), 'utf8'), { strict: false, noEscape: false }),
    css: readFileSync(path.join(dir, 'report.css'), 'utf8'),
    js: readFileSync(path.join(dir, 'report.js'), 'utf8'),
  };
  cached = { dir, compiled };
  return compiled;
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

export function renderHtml(view: ReportView, templatesDir: string = TEMPLATES_DIR): string {
  const { page, css, js } = compile(templatesDir);
  const csp = `default-src 'none'; style-src ${sha256(css)}; script-src ${sha256(js)}; img-src data:; base-uri 'none'; form-action 'none'`;
  return page({ ...view, css, js, csp });
}
