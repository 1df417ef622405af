import { describe, expect, it } from 'vitest';
import { EXPORT_FIELDS, resolveRequestedFields } from '../../src/domain/exports/export-fields.js';
import type { DerivedFields } from '../../src/domain/logs/derive.js';
import { DERIVED_COLUMNS, DERIVED_KEYS } from '../../src/domain/logs/derived-columns.js';
import type { LogRecord } from '../../src/domain/logs/log-model.js';
import { fromLogDoc, toLogDoc } from '../../src/storage/mongo/log-document.js';
import { joinLogDoc, splitLogDoc } from '../../src/storage/mongo/segments/segment-docs.js';
import { logView } from '../../src/transports/log-view.js';
import { presentLog } from '../../src/transports/rest/log-presenter.js';

/** A value of the right kind for every derived field, each one distinct, so a crossed wire shows. */
const derived = Object.fromEntries(
  DERIVED_KEYS.map((k, i) => {
    const kind = DERIVED_COLUMNS[k].kind;
    return [k, kind === 'number' ? 100 + i : kind === 'boolean' ? i % 2 === 0 : `${k}-value`];
  }),
) as unknown as DerivedFields;

const record: LogRecord = {
  id: 'log-1',
  workspaceId: 'ws',
  organisationId: 'org',
  source: 'rest',
  createdAt: new Date('2026-01-02T03:04:05Z'),
  traceId: 'trace-1',
  request: { url: 'https://api.openai.com/v1/chat/completions', method: 'POST', headers: {}, body: '{}' },
  response: { status: 200, headers: {}, body: '{}' },
  metadata: { user: 'u-1' },
  derived,
};

describe('the derived field table', () => {
  it('stores every derived field under its column and reads it back, through the segment list/body split', () => {
    const doc = toLogDoc(record);
    for (const k of DERIVED_KEYS) expect((doc as unknown as Record<string, unknown>)[DERIVED_COLUMNS[k].column], k).toEqual(derived[k]);
    const { list, body } = splitLogDoc(doc);
    for (const k of DERIVED_KEYS) {
      const onList = Object.hasOwn(list, DERIVED_COLUMNS[k].column);
      expect(onList, `${k} on the list document`).toBe(DERIVED_COLUMNS[k].list);
    }
    expect(fromLogDoc(joinLogDoc(list, body)).derived).toEqual(derived);
  });

  it('exports each exportable field under its name, and the typed views and Portkey metrics carry every one', () => {
    const exported = DERIVED_KEYS.filter((k) => DERIVED_COLUMNS[k].exportAs !== null);
    const fields = resolveRequestedFields(exported.map((k) => DERIVED_COLUMNS[k].exportAs!));
    expect(fields.map((f) => f.value(record))).toEqual(exported.map((k) => derived[k]));
    expect(Object.keys(EXPORT_FIELDS)).toEqual(expect.arrayContaining(['ai_provider', 'ai_model', 'cost', 'status_code', 'is_success']));

    const view = logView(record) as unknown as Record<string, unknown>;
    for (const k of DERIVED_KEYS) expect(view[k], k).toEqual(derived[k]);

    const metrics = presentLog(record).metrics as Record<string, unknown>;
    for (const k of DERIVED_KEYS) {
      const expected = k === 'streamMode' ? (derived.streamMode ? 1 : 0) : derived[k];
      expect(metrics[DERIVED_COLUMNS[k].portkey], k).toEqual(expected);
    }
  });
});
