/** Plain-text layout for the terminal: padded columns and lines cut to the screen width. */

/** Columns padded to their widest cell; `right` lists the columns aligned right. */
export function table(rows: readonly (readonly string[])[], o: { indent?: string; right?: readonly number[]; gap?: string } = {}): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, width(cell))));
  const right = new Set(o.right ?? []);
  return rows.map((row) =>
    ((o.indent ?? '') + row.map((cell, i) => (i === row.length - 1 && !right.has(i) ? cell : pad(cell, widths[i] ?? 0, right.has(i)))).join(o.gap ?? '  ')).trimEnd(),
  );
}

export function pad(text: string, to: number, right = false): string {
  const fill = ' '.repeat(Math.max(0, to - width(text)));
  return right ? fill + text : text + fill;
}

/** Cuts a line to `columns` characters so the terminal never wraps it (wrapping breaks redraws). */
export function fit(line: string, columns: number): string {
  if (columns <= 0 || width(line) <= columns) return line;
  return [...line].slice(0, Math.max(0, columns - 1)).join('') + '…';
}

function width(text: string): number {
  return [...text].length;
}

/** mm:ss, or h:mm:ss past an hour. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

/** A progress bar of `cells` characters for a fraction 0..1. */
export function bar(fraction: number, cells: number): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const full = Math.round(f * cells);
  return '█'.repeat(full) + '░'.repeat(cells - full);
}

/** `check_failed 6 · timeout 2`, the `limit` most frequent codes. */
export function topErrors(errors: Readonly<Record<string, number>>, limit: number): string {
  const entries = Object.entries(errors).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (entries.length === 0) return 'none';
  const shown = entries.slice(0, limit).map(([code, n]) => `${code} ${n}`);
  if (entries.length > limit) shown.push(`+${entries.length - limit} more`);
  return shown.join(' · ');
}
