import { fmtCost, fmtDate, fmtInt, fmtMs, h, pretty } from './dom.js';

/** The Log fields the pages read, and the detail panel shared by the Logs and Traces pages. */

export const LOG_SUMMARY_FIELDS = `
  id traceId spanId parentSpanId spanName createdAt provider model
  requestTokens responseTokens totalTokens cost costCurrency costSource responseTimeMs statusCode isSuccess source
`;

export const LOG_DETAIL_FIELDS = `${LOG_SUMMARY_FIELDS} workspaceId metadata request response`;

export interface LogSummary {
  id: string;
  traceId: string | null;
  spanId: string | null;
  parentSpanId: string | null;
  spanName: string | null;
  createdAt: string;
  provider: string | null;
  model: string | null;
  requestTokens: number | null;
  responseTokens: number | null;
  totalTokens: number | null;
  cost: number | null;
  costCurrency: string | null;
  costSource: string | null;
  responseTimeMs: number | null;
  statusCode: number;
  isSuccess: boolean;
  source: string;
}

export interface LogDetail extends LogSummary {
  workspaceId: string;
  metadata: Record<string, unknown>;
  request: Record<string, unknown>;
  response: Record<string, unknown>;
}

export function statusBadge(log: Pick<LogSummary, 'statusCode' | 'isSuccess'>): HTMLElement {
  return h('span', { class: `badge ${log.isSuccess ? 'badge-success' : 'badge-failed'}` }, `${log.statusCode}${log.isSuccess ? '' : ' · error'}`);
}

const COST_SOURCES: Record<string, string> = {
  client: 'reported by the client',
  computed: 'computed from the price table',
};

function dl(rows: [string, Node | string][]): HTMLDListElement {
  return h(
    'dl',
    { class: 'facts' },
    rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
  );
}

function codeBlock(title: string, value: unknown): HTMLElement {
  return h('section', { class: 'code-section', 'aria-label': title }, h('h3', {}, title), h('pre', { class: 'code', tabindex: 0 }, h('code', {}, pretty(value))));
}

/** The detail panel's content for one log. */
export function logDetailView(log: LogDetail, opts: { onClose?: () => void; showTraceLink?: boolean } = {}): HTMLElement {
  const costText = log.cost === null ? '—' : `${fmtCost(log.cost, log.costCurrency)} (${log.cost.toLocaleString('en-US', { maximumFractionDigits: 6 })}¢)`;
  const meta = Object.entries(log.metadata ?? {});
  return h(
    'article',
    { class: 'log-detail', 'aria-labelledby': `log-title-${log.id}` },
    h(
      'header',
      { class: 'detail-header' },
      h('h2', { id: `log-title-${log.id}`, tabindex: -1 }, log.spanName ?? log.model ?? 'Log'),
      opts.onClose ? h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => opts.onClose?.(), 'aria-label': 'Close log details' }, 'Close') : null,
    ),
    dl([
      ['Log ID', h('code', {}, log.id)],
      ['Created', fmtDate(log.createdAt)],
      ['Status', statusBadge(log)],
      ['Provider', log.provider ?? '—'],
      ['Model', log.model ?? '—'],
      ['Tokens', `${fmtInt(log.requestTokens)} in · ${fmtInt(log.responseTokens)} out · ${fmtInt(log.totalTokens)} total`],
      ['Cost', h('span', {}, costText, log.costSource ? h('span', { class: 'muted' }, ` — ${COST_SOURCES[log.costSource] ?? log.costSource}`) : null)],
      ['Latency', fmtMs(log.responseTimeMs)],
      ['Source', log.source],
      [
        'Trace',
        log.traceId
          ? opts.showTraceLink === false
            ? h('code', {}, log.traceId)
            : h('a', { href: `#/traces/${encodeURIComponent(log.traceId)}?log=${encodeURIComponent(log.id)}` }, `Open trace ${log.traceId}`)
          : '—',
      ],
      ['Span', log.spanId ? `${log.spanId}${log.parentSpanId ? ` (parent ${log.parentSpanId})` : ''}` : '—'],
    ]),
    meta.length
      ? h(
          'section',
          { class: 'code-section', 'aria-label': 'Metadata' },
          h('h3', {}, 'Metadata'),
          dl(meta.map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])),
        )
      : null,
    codeBlock('Request', log.request),
    codeBlock('Response', log.response),
  );
}
