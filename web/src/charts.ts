import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { fmtShortDate, h, uid } from './dom.js';
import { navigate } from './router.js';

/**
 * Time charts over uPlot: canvas drawing that stays fast with thousands of points and needs no framework. The
 * plot is one picture for sighted mouse users; its text alternative (summary, data table with links) is the
 * caller's, referenced by `describedBy`.
 */

export interface ChartSeries {
  label: string;
  /** One value per bucket; null leaves a gap (a bucket without data). */
  values: (number | null)[];
  color: string;
}

export interface TimeChartOptions {
  /** `stacked`: bars whose series add up (e.g. errors per status code). */
  kind: 'bars' | 'lines' | 'stacked';
  /** Bucket start times (ms); each point is drawn at the middle of its bucket. */
  times: number[];
  bucketMs: number;
  series: ChartSeries[];
  /** The plot's accessible name. */
  label: string;
  describedBy?: string;
  format: (v: number) => string;
  /** Clicking a bucket (bar or point) gives its index. */
  onPick?: (index: number) => void;
  height?: number;
}

export interface TimeChart {
  element: HTMLElement;
  destroy(): void;
}

const css = (name: string, fallback: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

/** Running sums, so bars drawn tallest first show each series as a segment of the stack. */
function stack(series: ChartSeries[]): ChartSeries[] {
  const sums: (number | null)[][] = [];
  series.forEach((s, k) => sums.push(s.values.map((v, i) => (v ?? 0) + (k ? (sums[k - 1]![i] ?? 0) : 0))));
  return series.map((s, k) => ({ ...s, values: sums[k]! })).reverse();
}

export function timeChart(o: TimeChartOptions): TimeChart {
  const height = o.height ?? 200;
  const element = h('div', { class: 'chart-plot', role: 'img', 'aria-label': o.label, 'aria-describedby': o.describedBy });
  const drawn = o.kind === 'stacked' ? stack(o.series) : o.series;
  // The legend shows each series' own value, not the running sum it is drawn with.
  const raw = o.kind === 'stacked' ? [...o.series].reverse() : o.series;
  const bars = o.kind !== 'lines' ? uPlot.paths.bars!({ size: [0.7, 64], gap: 1 }) : undefined;
  const half = o.bucketMs / 2;
  const xs = o.times.map((t) => t + half);
  const first = o.times[0] ?? Date.now();
  const last = (o.times[o.times.length - 1] ?? first) + o.bucketMs;
  const muted = css('--muted', '#59636e');
  const grid = css('--border', '#d6dae0');
  const font = `12px ${getComputedStyle(document.body).fontFamily}`;
  const label = (v: number | null) => (v === null || v === undefined ? '—' : o.format(v));

  const opts: uPlot.Options = {
    width: Math.max(element.clientWidth, 280),
    height,
    ms: 1,
    cursor: { drag: { x: false, y: false }, points: { show: o.kind === 'lines' } },
    scales: {
      x: { time: true, range: () => [first, last] },
      y: { range: (_u, _min, max) => uPlot.rangeNum(0, max > 0 ? max : 1, 0.1, true) },
    },
    axes: [
      { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, font },
      {
        stroke: muted,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid },
        font,
        values: (_u, splits) => splits.map((v) => o.format(v)),
        // Wide enough for the longest tick label (costs and durations are longer than counts), plus the tick marks.
        size: (_u, values) => 20 + 7.5 * Math.max(3, ...(values ?? []).map((v) => String(v).length)),
      },
    ],
    series: [
      { label: 'Time' },
      ...drawn.map((s, k) => ({
        label: s.label,
        stroke: s.color,
        fill: o.kind === 'lines' ? undefined : s.color,
        width: o.kind === 'lines' ? 2 : 0,
        paths: bars,
        points: { show: o.kind === 'lines' && o.times.length < 40, size: 5 },
        spanGaps: false,
        value: (_u: uPlot, v: number | null, _si: number, i: number | null) => label(i === null || v === null ? null : (raw[k]!.values[i] ?? null)),
      })),
    ],
  };
  const plot = new uPlot(opts, [xs, ...drawn.map((s) => s.values)] as uPlot.AlignedData, element);
  if (o.onPick) {
    plot.over.style.cursor = 'pointer';
    plot.over.addEventListener('click', () => {
      const i = plot.cursor.idx;
      if (i !== null && i !== undefined) o.onPick!(i);
    });
  }
  // Follow the container's width (the sidebar, a phone, a rotated screen).
  const resize = new ResizeObserver(([entry]) => {
    const width = Math.floor(entry?.contentRect.width ?? 0);
    if (width > 0 && width !== plot.width) plot.setSize({ width, height });
  });
  resize.observe(element);
  return {
    element,
    destroy() {
      resize.disconnect();
      plot.destroy();
    },
  };
}

export interface ChartCardOptions extends Pick<TimeChartOptions, 'kind' | 'times' | 'bucketMs' | 'series' | 'format'> {
  title: string;
  /** The text alternative: what the picture shows, in a sentence (totals). */
  summary: string;
  /** What a bucket is called: minute, hour, day. */
  unit: string;
  /** Where a bucket leads (its logs), from a click on the plot or the data table's link. */
  hrefOf: (index: number) => string;
}

/**
 * A chart in a card: a heading that names it, the summary that describes it, the plot, and the figures as a table
 * too (readable without the picture, and each bucket's link reachable by keyboard).
 */
export function chartCard(o: ChartCardOptions): { element: HTMLElement; chart: TimeChart } {
  const id = uid('chart');
  const chart = timeChart({
    ...o,
    label: `${o.title}, one ${o.kind === 'lines' ? 'point' : 'bar'} per ${o.unit}`,
    describedBy: `${id}-summary`,
    onPick: (i) => navigate(o.hrefOf(i)),
  });
  const cell = (v: number | null | undefined) => (v === null || v === undefined ? '—' : o.format(v));
  const table = h(
    'table',
    { class: 'table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, `${o.unit[0]?.toUpperCase() ?? ''}${o.unit.slice(1)}`),
        o.series.map((s) => h('th', { scope: 'col', class: 'num' }, s.label)),
      ),
    ),
    h(
      'tbody',
      {},
      o.times.map((t, i) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, h('a', { href: o.hrefOf(i) }, fmtShortDate(new Date(t).toISOString()))),
          o.series.map((s) => h('td', { class: 'num' }, cell(s.values[i]))),
        ),
      ),
    ),
  );
  const element = h(
    'section',
    { class: 'card chart-card', 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, o.title),
    h('p', { class: 'chart-summary', id: `${id}-summary` }, o.summary),
    chart.element,
    h('details', { class: 'chart-data' }, h('summary', {}, 'Data table'), h('div', { class: 'table-wrap' }, table)),
  );
  return { element, chart };
}
