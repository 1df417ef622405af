import { errorSummary, requestMessages, responseMessages, curlCommand, type Message, type Part } from './conversation.js';
import { copyText, fmtCost, fmtDate, fmtInt, fmtMs, h, pretty } from './dom.js';
import { FEEDBACK_FIELDS, feedbackSection, type FeedbackEntry } from './feedback.js';

/** The Log fields the pages read, and the detail panel shared by the Logs and Traces pages. */

export const LOG_SUMMARY_FIELDS = `
  id traceId spanId parentSpanId spanName createdAt provider model
  requestTokens responseTokens totalTokens cost costCurrency costSource responseTimeMs statusCode isSuccess source
`;

export const LOG_DETAIL_FIELDS = `${LOG_SUMMARY_FIELDS} workspaceId metadata request response ${FEEDBACK_FIELDS}`;

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
  request: { url?: string; method?: string; headers?: Record<string, string>; body?: unknown };
  response: { status?: number; headers?: Record<string, string>; body?: unknown };
  weightedFeedback: number | null;
  feedback: FeedbackEntry[];
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
  return h(
    'section',
    { class: 'code-section', 'aria-label': title },
    h('h3', {}, title),
    h('pre', { class: 'code', tabindex: 0 }, h('code', {}, pretty(value))),
  );
}

const ROLE_LABELS: Record<string, string> = { system: 'System', user: 'User', assistant: 'Assistant', tool: 'Tool' };

function partView(p: Part): HTMLElement {
  switch (p.kind) {
    case 'text':
      return h('div', { class: 'msg-text' }, p.text);
    case 'image':
      return h('div', { class: 'msg-placeholder' }, `[${p.label}]`);
    case 'toolCall':
      return h(
        'div',
        { class: 'msg-tool' },
        h('p', { class: 'msg-tool-title' }, 'Tool call: ', h('code', {}, p.name), p.id ? h('span', { class: 'muted' }, ` (${p.id})`) : null),
        h('pre', { class: 'code' }, h('code', {}, p.args)),
      );
    case 'toolResult':
      return h(
        'div',
        { class: 'msg-tool' },
        h(
          'p',
          { class: 'msg-tool-title' },
          'Tool result',
          p.name ? [': ', h('code', {}, p.name)] : null,
          p.id ? h('span', { class: 'muted' }, ` (${p.id})`) : null,
        ),
        h('pre', { class: 'code' }, h('code', {}, pretty(p.text))),
      );
    default:
      return h('pre', { class: 'code' }, h('code', {}, p.text));
  }
}

function conversationView(messages: Message[]): HTMLElement {
  return h(
    'ol',
    { class: 'conversation', 'aria-label': 'Conversation' },
    messages.map((m) =>
      h(
        'li',
        { class: `msg msg-${m.role}` },
        h('p', { class: 'msg-role' }, ROLE_LABELS[m.role] ?? m.role, m.from === 'response' ? h('span', { class: 'muted' }, ' · response') : null),
        m.parts.length ? m.parts.map(partView) : h('p', { class: 'muted' }, '(empty)'),
      ),
    ),
  );
}

/** Conversation or raw JSON (remembered for the tab), with copy buttons. */
const RAW_KEY = 'logport.detail.raw';

function bodiesView(log: LogDetail): HTMLElement {
  const messages = [...requestMessages(log.request?.body), ...responseMessages(log.response?.body)];
  const hasConversation = messages.length > 0;
  let raw = !hasConversation || sessionStorage.getItem(RAW_KEY) === '1';
  const slot = h('div', { class: 'bodies' });
  const asConversation = h('button', { type: 'button', class: 'btn btn-small' }, 'Conversation');
  const asRaw = h('button', { type: 'button', class: 'btn btn-small' }, 'Raw JSON');
  const show = () => {
    asConversation.setAttribute('aria-pressed', String(!raw));
    asRaw.setAttribute('aria-pressed', String(raw));
    slot.replaceChildren(...(raw ? [codeBlock('Request', log.request), codeBlock('Response', log.response)] : [conversationView(messages)]));
  };
  asConversation.addEventListener('click', () => {
    raw = false;
    sessionStorage.setItem(RAW_KEY, '0');
    show();
  });
  asRaw.addEventListener('click', () => {
    raw = true;
    sessionStorage.setItem(RAW_KEY, '1');
    show();
  });
  asConversation.disabled = !hasConversation;
  if (!hasConversation) asConversation.title = 'No chat messages recognised in this request';
  show();
  const copyJson = () =>
    copyText(JSON.stringify({ id: log.id, request: log.request, response: log.response, metadata: log.metadata }, null, 2), 'Log JSON copied');
  return h(
    'section',
    { class: 'bodies-section', 'aria-label': 'Request and response' },
    h(
      'div',
      { class: 'toolbar' },
      h('div', { class: 'segmented', role: 'group', 'aria-label': 'Show bodies as' }, asConversation, asRaw),
      h('button', { type: 'button', class: 'btn btn-small', onclick: () => void copyJson() }, 'Copy JSON'),
      h('button', { type: 'button', class: 'btn btn-small', onclick: () => void copyText(curlCommand(log.request ?? {}), 'cURL command copied') }, 'Copy cURL'),
    ),
    slot,
  );
}

/** The detail panel's content for one log. */
export function logDetailView(log: LogDetail, opts: { onClose?: () => void; showTraceLink?: boolean } = {}): HTMLElement {
  const costText = log.cost === null ? '—' : `${fmtCost(log.cost, log.costCurrency)} (${log.cost.toLocaleString('en-US', { maximumFractionDigits: 6 })}¢)`;
  const meta = Object.entries(log.metadata ?? {});
  const failure = log.isSuccess ? undefined : (errorSummary(log.response?.body) ?? 'The call failed.');
  return h(
    'article',
    { class: 'log-detail', 'aria-labelledby': `log-title-${log.id}`, 'data-log-id': log.id },
    h(
      'header',
      { class: 'detail-header' },
      h('h2', { id: `log-title-${log.id}`, tabindex: -1 }, log.spanName ?? log.model ?? 'Log'),
      opts.onClose
        ? h(
            'button',
            { type: 'button', class: 'btn btn-ghost', onclick: () => opts.onClose?.(), 'aria-label': 'Close log details', title: 'Close (Escape)' },
            'Close',
          )
        : null,
    ),
    failure
      ? h('div', { class: 'error-summary', role: 'note', 'aria-label': 'Error' }, h('strong', {}, `Failed with status ${log.statusCode}: `), failure)
      : null,
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
    feedbackSection(log),
    bodiesView(log),
  );
}
