import { Portkey } from 'portkey-ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../helpers/graphql.js';
import { call, createKey } from '../helpers/http.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../helpers/server.js';
import { trpc } from '../helpers/typed.js';
import { chatLog, ingest } from '../logs/fixtures.js';

const exportTotal = async (s: TestServer, filters: Record<string, unknown>) => {
  const res = await call(s.url, 'POST', '/v1/logs/exports', { body: { filters, requested_data: ['id', 'weighted_feedback'] } });
  expect(res.status).toBe(200);
  return res.body.total as number;
};

describe('feedback: POST /v1/feedback, PUT /v1/feedback/{id}, weighted feedback on logs', () => {
  let s: TestServer;
  let portkey: Portkey;
  beforeAll(async () => {
    s = await startTestServer();
    portkey = new Portkey({ apiKey: ROOT_KEY, baseURL: `${s.url}/v1` });
  });
  afterAll(() => s.stop());

  it('the SDK creates one and many, updates one; every log of the trace (also later ones) gets the weighted mean', async () => {
    const [early] = await ingest(s, chatLog({ metadata: { trace_id: 'fb-trace-1', _user: 'u1' } }));
    const one: any = await portkey.feedback.create({ traceID: 'fb-trace-1', value: 8 });
    expect(one.status).toBe('success');
    expect(one.feedback_ids).toHaveLength(1);
    // An array goes over the wire as an object keyed "0", "1".
    const many: any = await portkey.feedback.create([
      { traceID: 'fb-trace-1', value: -2, weight: 0.5, metadata: { reviewer: 'ana', 'score.kind': 'tone' } },
      { traceID: 'fb-trace-2', value: 3 },
    ]);
    expect(many.feedback_ids).toHaveLength(2);
    const [late] = await ingest(s, chatLog({ metadata: { trace_id: 'fb-trace-1' } }));

    // (8×1 + -2×0.5) / 1.5
    for (const id of [early, late]) {
      const r = await gql(s.url, 'query($id: ID!) { log(id: $id) { weightedFeedback feedback { value weight metadata } } }', { id });
      expect(r.body.data.log.weightedFeedback).toBeCloseTo(7 / 1.5, 12);
      expect(r.body.data.log.feedback).toEqual([
        { value: 8, weight: 1, metadata: {} },
        { value: -2, weight: 0.5, metadata: { reviewer: 'ana', 'score.kind': 'tone' } },
      ]);
    }
    const updated: any = await portkey.feedback.update({ feedbackID: one.feedback_ids[0], value: 2 });
    expect(updated.status).toBe('success');
    const r = await gql(s.url, 'query($id: ID!) { log(id: $id) { weightedFeedback } }', { id: late });
    expect(r.body.data.log.weightedFeedback).toBeCloseTo(1 / 1.5, 12);
  });

  it('weighted feedback filters exports, GraphQL and tRPC alike; logs without feedback never match a bound', async () => {
    const log = (trace_id: string) => chatLog({ metadata: { trace_id, batch: 'fbf' } });
    await ingest(s, [log('fb-f-hi'), log('fb-f-hi'), log('fb-f-lo'), log('fb-f-none')]);
    await call(s.url, 'POST', '/v1/feedback', {
      body: [
        { trace_id: 'fb-f-hi', value: 9 },
        { trace_id: 'fb-f-lo', value: -9 },
      ],
    });
    expect(await exportTotal(s, { weighted_feedback_min: 5, metadata: { batch: 'fbf' } })).toBe(2);
    expect(await exportTotal(s, { weighted_feedback_max: 0, metadata: { batch: 'fbf' } })).toBe(1);
    const g = await gql(
      s.url,
      '{ logs(filter: { minWeightedFeedback: 5, traceId: ["fb-f-hi", "fb-f-none"] }) { totalCount edges { node { weightedFeedback } } } }',
    );
    expect(g.body.data.logs.totalCount).toBe(2);
    expect(g.body.data.logs.edges.map((e: any) => e.node.weightedFeedback)).toEqual([9, 9]);
    const t = await trpc(s.url).logs.list.query({ filter: { maxWeightedFeedback: -1, metadata: { batch: 'fbf' } } });
    expect(t.items.map((i) => i.traceId)).toEqual(['fb-f-lo']);
  });

  it('GraphQL createFeedback/updateFeedback and tRPC feedback.create/update share one validation', async () => {
    const c = await gql(s.url, 'mutation { createFeedback(input: [{ traceId: "fb-typed", value: 4, weight: 0.25 }]) }');
    const [id] = c.body.data.createFeedback;
    const u = await gql(s.url, 'mutation($id: ID!) { updateFeedback(id: $id, input: { value: -4 }) { value weight traceId } }', { id });
    expect(u.body.data.updateFeedback).toEqual({ value: -4, weight: 0.25, traceId: 'fb-typed' });
    const bad = await gql(s.url, 'mutation { createFeedback(input: [{ traceId: "fb-typed", value: 11 }]) }');
    expect(bad.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect((bad.body.errors![0]!.extensions!.details as any)[0].path).toEqual(['input', 0, 'value']);

    const client = trpc(s.url);
    const { feedbackIds } = await client.feedback.create.mutate({ feedback: [{ traceId: 'fb-typed', value: 1 }] });
    const f = await client.feedback.update.mutate({ id: feedbackIds[0]!, value: 10, weight: 0.5 });
    expect(f).toMatchObject({ value: 10, weight: 0.5 });
    await expect(client.feedback.update.mutate({ id: feedbackIds[0]!, value: 1.5 })).rejects.toThrow(/integer/);
  });

  it('rejects bad input with the field path and stores nothing; needs logs.write; other workspaces see 404', async () => {
    const bad = await call(s.url, 'POST', '/v1/feedback', {
      body: [
        { trace_id: 'fb-bad', value: 1 },
        { value: 1, weight: 2 },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: any) => d.path)).toEqual([
      [1, 'trace_id'],
      [1, 'weight'],
    ]);
    expect(await s.app.database.db.collection('feedback').countDocuments({ trace_id: 'fb-bad' })).toBe(0);

    const reader = await createKey(s.url, { workspace: 'default', scopes: ['logs.list'] });
    expect((await call(s.url, 'POST', '/v1/feedback', { key: reader.key, body: { trace_id: 't', value: 1 } })).status).toBe(403);

    const created = await call(s.url, 'POST', '/v1/feedback', { body: { trace_id: 'fb-ws', value: 1 } });
    const other = await createKey(s.url, { workspace: 'ws-other', scopes: ['logs.write'] });
    const put = await call(s.url, 'PUT', `/v1/feedback/${created.body.feedback_ids[0]}`, { key: other.key, body: { value: 2 } });
    expect(put.status).toBe(404);
    expect((await call(s.url, 'PUT', '/v1/feedback/nope', { body: { value: 2 } })).status).toBe(404);
  });
});
