import { field, h, uid } from './dom.js';

/** A Time Range picker: presets, or a custom from/to in local time. */

const PRESETS: { value: string; label: string; ms?: number }[] = [
  { value: 'all', label: 'All time' },
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
  { value: 'custom', label: 'Custom range' },
];

export interface TimeRangeValue {
  preset: string;
  from?: string;
  to?: string;
}

export interface TimeRangePicker {
  element: HTMLFieldSetElement;
  /** The range as LogFilter `from`/`to` (ISO strings), computed now. Throws on an invalid custom range. */
  value(): { from?: string; to?: string };
  state(): TimeRangeValue;
}

function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function timeRangePicker(initial: TimeRangeValue = { preset: 'all' }, legend = 'Time Range'): TimeRangePicker {
  const name = uid('range');
  const select = h(
    'select',
    { name, value: initial.preset },
    PRESETS.map((p) => h('option', { value: p.value }, p.label)),
  );
  const from = h('input', { type: 'datetime-local', name: `${name}-from`, value: toLocalInput(initial.from) });
  const to = h('input', { type: 'datetime-local', name: `${name}-to`, value: toLocalInput(initial.to) });
  const custom = h('div', { class: 'row custom-range' }, field('From', from), field('To', to));
  const sync = () => {
    custom.hidden = select.value !== 'custom';
  };
  select.addEventListener('change', sync);
  sync();
  const element = h('fieldset', { class: 'time-range' }, h('legend', {}, legend), field('Period', select), custom);

  const iso = (input: HTMLInputElement): string | undefined => {
    if (!input.value) return undefined;
    const d = new Date(input.value);
    if (Number.isNaN(d.getTime())) throw new Error(`Invalid date: ${input.value}`);
    return d.toISOString();
  };
  return {
    element,
    value() {
      const preset = PRESETS.find((p) => p.value === select.value);
      if (select.value === 'custom') {
        const range = { from: iso(from), to: iso(to) };
        if (range.from && range.to && range.from > range.to) throw new Error('The time range ends before it starts.');
        return range;
      }
      return preset?.ms ? { from: new Date(Date.now() - preset.ms).toISOString() } : {};
    },
    state() {
      return select.value === 'custom'
        ? { preset: 'custom', from: from.value ? new Date(from.value).toISOString() : undefined, to: to.value ? new Date(to.value).toISOString() : undefined }
        : { preset: select.value };
    },
  };
}
