/**
 * Charts for report.html, drawn here as inline SVG: the report opens from disk with no
 * script library and no network, and a run of ten seconds charts as well as an hour (with
 * few intervals every point gets a marker, so a short run still reads).
 *
 * Every piece of text placed in the SVG passes through `esc`; callers pass names from
 * the spec (variants, error codes) freely. No style attributes: the report's CSP allows
 * only its own hashed <style>.
 */
export interface LineSeries {
  readonly name: string;
  /** One value per x; null leaves a gap (an interval with no samples). */
  readonly values: readonly (number | null)[];
  readonly color: string;
  readonly dashed?: boolean;
}

export interface LineChartInput {
  readonly title: string;
  /** Seconds from the run's start, one per interval. */
  readonly xs: readonly number[];
  readonly series: readonly LineSeries[];
  readonly formatY: (value: number) => string;
  /** Whole-number values (calls): ticks stay whole. */
  readonly integer?: boolean;
}

export interface BarSegment {
  readonly name: string;
  readonly color: string;
}

export interface StackedBarInput {
  readonly title: string;
  readonly xs: readonly number[];
  readonly segments: readonly BarSegment[];
  /** values[i][s]: interval i, segment s. */
  readonly values: readonly (readonly number[])[];
  /** Shown in the plot when every value is zero. */
  readonly emptyText: string;
}

const W = 640;
const H = 230;
const PAD = { left: 56, right: 16, top: 34, bottom: 30 };
const PLOT_W = W - PAD.left - PAD.right;
const PLOT_H = H - PAD.top - PAD.bottom;

export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const STEPS = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 8, 10];

/** The top of a four-gridline y axis, so each gridline sits on a round value (60, 120, 180, 240). */
export function niceMax(max: number, integer = false): number {
  if (!(max > 0)) return integer ? 4 : 1;
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  let step = (STEPS.find((s) => s * power >= raw) ?? 10) * power;
  if (integer) step = Math.max(1, Math.ceil(step));
  return step * 4;
}

export function formatClock(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}

function n(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function frame(title: string, kind: string, body: string[], yMax: number, formatY: (v: number) => string, xs: readonly number[], legend: readonly { name: string; color: string; dashed?: boolean }[], dataPoints: number): string {
  const out = [
    `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}" data-chart="${esc(kind)}" data-points="${dataPoints}" xmlns="http://www.w3.org/2000/svg">`,
    `<title>${esc(title)}</title>`,
    `<text class="chart-title" x="${PAD.left}" y="16">${esc(title)}</text>`,
  ];
  for (let i = 0; i <= 4; i += 1) {
    const y = PAD.top + PLOT_H - (PLOT_H * i) / 4;
    out.push(`<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${n(y)}" y2="${n(y)}"/>`);
    out.push(`<text class="tick" x="${PAD.left - 6}" y="${n(y + 4)}" text-anchor="end">${esc(formatY((yMax * i) / 4))}</text>`);
  }
  const axis = timeAxis(xs);
  for (const t of axis.ticks) {
    out.push(`<text class="tick" x="${n(axis.x(t))}" y="${H - 10}" text-anchor="middle">${esc(formatClock(t))}</text>`);
  }
  let lx = W - PAD.right;
  for (const item of [...legend].reverse()) {
    const width = 26 + item.name.length * 6.4;
    lx -= width;
    out.push(`<line class="legend-swatch${item.dashed ? ' dashed' : ''}" x1="${n(lx)}" x2="${n(lx + 16)}" y1="12" y2="12" stroke="${esc(item.color)}"/>`);
    out.push(`<text class="legend" x="${n(lx + 20)}" y="16">${esc(item.name)}</text>`);
  }
  out.push(...body, '</svg>');
  return out.join('\n');
}

const TICK_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];

/**
 * Time maps linearly onto the plot, from the run's start to the end of the last interval;
 * each point sits in the middle of its interval, and ticks fall on round times.
 */
export function timeAxis(xs: readonly number[]): { x: (seconds: number) => number; point: (index: number) => number; ticks: number[]; slotWidth: number } {
  const interval = xs.length > 1 ? Math.max(1e-3, (xs[xs.length - 1]! - xs[0]!) / (xs.length - 1)) : 1;
  const end = (xs[xs.length - 1] ?? 0) + interval;
  const x = (seconds: number) => PAD.left + (PLOT_W * seconds) / end;
  const step = TICK_STEPS_S.find((s) => end / s <= 6) ?? Math.ceil(end / 6);
  const ticks: number[] = [];
  for (let t = 0; t <= end + 1e-9; t += step) ticks.push(t);
  return { x, point: (index) => x((xs[index] ?? 0) + interval / 2), ticks, slotWidth: (PLOT_W * interval) / end };
}

function yAt(value: number, yMax: number): number {
  return PAD.top + PLOT_H - (PLOT_H * value) / yMax;
}

export function lineChart(input: LineChartInput): string {
  const all = input.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const yMax = niceMax(all.reduce((a, b) => Math.max(a, b), 0), input.integer === true);
  const axis = timeAxis(input.xs);
  const markers = input.xs.length <= 40;
  const body: string[] = [];
  for (const series of input.series) {
    // Consecutive non-null values form one run of the line; a null breaks it.
    let run: string[] = [];
    const flush = () => {
      if (run.length > 1) body.push(`<polyline class="line${series.dashed ? ' dashed' : ''}" fill="none" stroke="${esc(series.color)}" points="${run.join(' ')}"/>`);
      run = [];
    };
    series.values.forEach((value, i) => {
      if (value === null) return flush();
      const x = axis.point(i);
      const y = yAt(value, yMax);
      run.push(`${n(x)},${n(y)}`);
      if (markers || series.values.length === 1) {
        body.push(`<circle class="dot" cx="${n(x)}" cy="${n(y)}" r="2.6" fill="${esc(series.color)}"><title>${esc(`${formatClock(input.xs[i] ?? 0)} · ${series.name}: ${input.formatY(value)}`)}</title></circle>`);
      }
    });
    flush();
  }
  return frame(input.title, 'line', body, yMax, input.formatY, input.xs, input.series, all.length);
}

export function stackedBars(input: StackedBarInput): string {
  const totals = input.values.map((row) => row.reduce((a, b) => a + b, 0));
  const yMax = niceMax(totals.reduce((a, b) => Math.max(a, b), 0), true);
  const axis = timeAxis(input.xs);
  const barW = Math.max(1, Math.min(28, axis.slotWidth * 0.7));
  const body: string[] = [];
  input.values.forEach((row, i) => {
    let base = 0;
    row.forEach((value, s) => {
      if (value <= 0) return;
      const segment = input.segments[s];
      if (!segment) return;
      const top = yAt(base + value, yMax);
      const height = yAt(base, yMax) - top;
      body.push(
        `<rect class="bar" x="${n(axis.point(i) - barW / 2)}" y="${n(top)}" width="${n(barW)}" height="${n(height)}" fill="${esc(segment.color)}"><title>${esc(`${formatClock(input.xs[i] ?? 0)} · ${segment.name}: ${value}`)}</title></rect>`,
      );
      base += value;
    });
  });
  const total = totals.reduce((a, b) => a + b, 0);
  if (total === 0) body.push(`<text class="empty" x="${PAD.left + PLOT_W / 2}" y="${PAD.top + PLOT_H / 2}" text-anchor="middle">${esc(input.emptyText)}</text>`);
  const legend = input.segments.map((s) => ({ name: s.name, color: s.color }));
  return frame(input.title, 'bars', body, yMax, (v) => n(v), input.xs, legend, total);
}
