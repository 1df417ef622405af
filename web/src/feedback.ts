import { gql, workspaceArg } from './api.js';
import { announce, clear, field, fmtDate, h } from './dom.js';

/**
 * Feedback in the log detail panel: the scores given to the log's trace, their weighted mean, and a form to
 * add one. Feedback belongs to a trace (Portkey's model), so it is shared by every log of the trace.
 */

export const FEEDBACK_FIELDS = 'weightedFeedback feedback { id value weight createdAt }';

export interface FeedbackEntry {
  id: string;
  value: number;
  weight: number;
  createdAt: string;
}

export interface WithFeedback {
  id: string;
  traceId: string | null;
  weightedFeedback: number | null;
  feedback: FeedbackEntry[];
}

const CREATE = `mutation AddFeedback($input: [FeedbackInput!]!, $workspaceId: ID) { createFeedback(input: $input, workspaceId: $workspaceId) }`;
const RELOAD = `query LogFeedback($id: ID!, $workspaceId: ID) { log(id: $id, workspaceId: $workspaceId) { id traceId ${FEEDBACK_FIELDS} } }`;

const signed = (v: number) => (v > 0 ? `+${v}` : String(v));
const round = (v: number) => Math.round(v * 100) / 100;

export function feedbackSection(initial: WithFeedback): HTMLElement {
  const section = h('section', { class: 'code-section feedback', 'aria-labelledby': `feedback-title-${initial.id}` });

  function render(log: WithFeedback, focusList = false): void {
    const title = h('h3', { id: `feedback-title-${log.id}` }, 'Feedback');
    if (!log.traceId) {
      clear(section, title, h('p', { class: 'muted' }, 'Feedback is given to a trace, and this log has no trace ID.'));
      return;
    }
    const weighted = h(
      'p',
      { class: 'feedback-weighted' },
      log.weightedFeedback === null
        ? 'No feedback yet.'
        : [
            'Weighted feedback: ',
            h('strong', {}, String(round(log.weightedFeedback))),
            ` (${log.feedback.length} score${log.feedback.length === 1 ? '' : 's'})`,
          ],
    );
    const list = log.feedback.length
      ? h(
          'ul',
          { class: 'feedback-list', 'aria-label': 'Feedback given', tabindex: -1 },
          log.feedback.map((f) =>
            h('li', {}, h('strong', {}, signed(f.value)), ` · weight ${round(f.weight)} · `, h('span', { class: 'muted' }, fmtDate(f.createdAt))),
          ),
        )
      : null;
    clear(section, title, weighted, list, form(log.traceId));
    if (focusList) list?.focus();
  }

  function form(traceId: string): HTMLFormElement {
    const value = h('input', { type: 'number', name: 'value', min: -10, max: 10, step: 1, required: true, inputmode: 'numeric' });
    const weight = h('input', { type: 'number', name: 'weight', min: 0, max: 1, step: 0.05, placeholder: '1' });
    const error = h('p', { class: 'error small', role: 'alert' });
    error.hidden = true;
    const submit = h('button', { type: 'submit', class: 'btn btn-small' }, 'Add feedback');
    const f = h(
      'form',
      { class: 'feedback-form', 'aria-label': 'Add feedback', novalidate: true },
      h('div', { class: 'row' }, field('Value', value, 'whole number, −10 to 10'), field('Weight', weight, '0 to 1, optional (1)')),
      h('p', { class: 'muted small' }, `Applies to every log of trace ${traceId}.`),
      error,
      submit,
    );
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const v = Number(value.value);
      const w = weight.value.trim() === '' ? undefined : Number(weight.value);
      const problem =
        value.value.trim() === '' || !Number.isInteger(v) || v < -10 || v > 10
          ? 'The value must be a whole number from -10 to 10.'
          : w !== undefined && (!Number.isFinite(w) || w < 0 || w > 1)
            ? 'The weight must be from 0 to 1.'
            : null;
      value.setAttribute('aria-invalid', String(problem?.startsWith('The value') ?? false));
      weight.setAttribute('aria-invalid', String(problem?.startsWith('The weight') ?? false));
      if (problem) {
        error.textContent = problem;
        error.hidden = false;
        return;
      }
      submit.disabled = true;
      error.hidden = true;
      try {
        await gql(CREATE, { input: [{ traceId, value: v, ...(w !== undefined && { weight: w }) }], workspaceId: workspaceArg() });
        const { log } = await gql<{ log: WithFeedback | null }>(RELOAD, { id: initial.id, workspaceId: workspaceArg() });
        if (log) render(log, true);
        announce(`Feedback ${signed(v)} added.`);
      } catch (err) {
        error.textContent = `Could not add the feedback: ${err instanceof Error ? err.message : String(err)}`;
        error.hidden = false;
        submit.disabled = false;
      }
    });
    return f;
  }

  render(initial);
  return section;
}
