import { describe, expect, it } from 'vitest';
import type { LogDoc } from '../../src/storage/mongo/log-document.js';
import { batchBodies, bodiesIn } from '../../src/storage/mongo/segments/segment-bodies.js';
import { joinLogDoc, splitLogDoc } from '../../src/storage/mongo/segments/segment-docs.js';
import { rowsBytes, rowsFromBytes, rowText } from '../../src/storage/mongo/segments/segment-rows.js';

const doc = (metadata: LogDoc['metadata'], extra: Partial<LogDoc> = {}): LogDoc =>
  ({
    _id: 'log-1',
    workspace_id: 'ws',
    organisation_id: 'org',
    source: 'rest',
    created_at: new Date('2026-12-01T10:00:00.123Z'),
    request_url: 'https://api.openai.com/v1/chat/completions',
    request_method: 'POST',
    request_headers: '{"content-type":"application/json"}',
    request_body: '{"model":"gpt-4o"}',
    response_headers: '{}',
    response_body: '{"id":"x"}',
    metadata,
    model: 'gpt-4o',
    status_code: 200,
    is_success: true,
    cost: 0.25,
    ...extra,
  }) as LogDoc;

/** What a reader gets back: the list row through its stored JSON, the body through its stored batch. */
async function roundTrip(d: LogDoc): Promise<LogDoc> {
  const { list, body } = splitLogDoc(d);
  const [batch] = await batchBodies([list], [body]);
  const [row] = rowsFromBytes(rowsBytes([rowText(list)]));
  return joinLogDoc(row!, bodiesIn(batch!)[0]);
}

describe('a stored log split into list row and body, and joined again', () => {
  it('gives back every field, the date as a Date and metadata in order', async () => {
    const d = doc([
      { k: 'zeta', v: '1' },
      { k: 'alpha', v: 'a=b\u001fc' },
    ]);
    expect(await roundTrip(d)).toEqual(d);
    // The metadata is read back from the list row's pairs: the body does not carry it twice.
    expect(splitLogDoc(d).body.rest).not.toHaveProperty('metadata');
  });

  it('keeps metadata exact when a key holds the pair separator', async () => {
    const d = doc([
      { k: 'a\u001fb', v: 'c' },
      { k: 'plain', v: 'v' },
    ]);
    expect((await roundTrip(d)).metadata).toEqual(d.metadata);
  });

  it('keeps a number JSON cannot carry (NaN, Infinity) on the body', async () => {
    const d = doc([], { cost: Number.NaN, response_time: Number.POSITIVE_INFINITY } as Partial<LogDoc>);
    const back = await roundTrip(d);
    expect(back.cost).toBeNaN();
    expect(back.response_time).toBe(Number.POSITIVE_INFINITY);
  });
});
