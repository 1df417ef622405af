import { randomUUID } from 'node:crypto';
import { type Actor, canSeeWorkspace, requireScope, resolveWorkspace } from '../auth/actor.js';
import { parseOneOrMany } from '../batch-input.js';
import { notFound, validationError } from '../errors.js';
import { feedbackBatchSchema, feedbackUpdateSchema } from './feedback-input.js';
import type { Feedback, FeedbackRepository } from './feedback-model.js';

export interface FeedbackService {
  /** One feedback object or an array; validated whole, so a bad item stores nothing. Ids in input order. */
  create(actor: Actor, input: { workspaceId?: string | null; body: unknown; pathPrefix?: (string | number)[] }): Promise<string[]>;
  update(actor: Actor, input: { id: string; workspaceId?: string | null; body: unknown; pathPrefix?: (string | number)[] }): Promise<Feedback>;
  /** The feedback of a trace, oldest first (what a log's detail shows). */
  forTrace(actor: Actor, input: { traceId: string; workspaceId?: string | null }): Promise<Feedback[]>;
}

export function createFeedbackService(repo: FeedbackRepository): FeedbackService {
  return {
    async create(actor, input) {
      requireScope(actor, 'logs.write');
      const workspaceId = resolveWorkspace(actor, input.workspaceId);
      const { items: parsed } = parseOneOrMany(feedbackBatchSchema, input.body, {
        pathPrefix: input.pathPrefix,
        messages: {
          notObject: 'Body must be a feedback object or an array of them',
          single: 'Invalid feedback; nothing was stored',
          batch: 'Invalid feedback; nothing was stored',
        },
      });
      const now = new Date();
      const items: Feedback[] = parsed.map((f) => ({
        id: randomUUID(),
        workspaceId,
        traceId: f.trace_id,
        value: f.value,
        weight: f.weight,
        metadata: f.metadata,
        createdAt: now,
        updatedAt: now,
      }));
      await repo.insert(items);
      return items.map((f) => f.id);
    },

    async update(actor, input) {
      requireScope(actor, 'logs.write');
      const parsed = feedbackUpdateSchema.safeParse(input.body);
      if (!parsed.success) throw validationError(parsed.error.issues, input.pathPrefix ?? [], 'Invalid feedback');
      const before = await repo.findById(input.id);
      const workspaceId = actor.kind === 'workspace' ? actor.workspaceId : input.workspaceId;
      if (!before || !canSeeWorkspace(actor, before.workspaceId) || (workspaceId && before.workspaceId !== workspaceId)) throw notFound('Feedback');
      const p = parsed.data;
      // Omitted weight and metadata keep their stored values; value is required by Portkey's contract.
      const after: Feedback = { ...before, value: p.value, weight: p.weight ?? before.weight, metadata: p.metadata ?? before.metadata, updatedAt: new Date() };
      await repo.update(before, after);
      return after;
    },

    async forTrace(actor, input) {
      requireScope(actor, 'logs.view');
      return repo.listForTrace(resolveWorkspace(actor, input.workspaceId), input.traceId);
    },
  };
}
