import { feedbackBody, feedbackView } from '../../feedback-view.js';
import type { Resolvers } from '../generated/resolvers-types.js';

export const feedbackResolvers: Resolvers = {
  Mutation: {
    async createFeedback(_p, { input, workspaceId }, ctx) {
      const actor = await ctx.actor();
      return ctx.services.feedback.create(actor, { workspaceId, body: input.map(feedbackBody), pathPrefix: ['input'] });
    },
    async updateFeedback(_p, { id, input, workspaceId }, ctx) {
      const actor = await ctx.actor();
      const { trace_id: _none, ...body } = feedbackBody(input);
      return feedbackView(await ctx.services.feedback.update(actor, { id, workspaceId, body, pathPrefix: ['input'] }));
    },
  },
  Log: {
    async feedback(v, _a, ctx) {
      if (!v.traceId) return [];
      const actor = await ctx.actor();
      return (await ctx.services.feedback.forTrace(actor, { traceId: v.traceId, workspaceId: v.workspaceId })).map(feedbackView);
    },
  },
  Feedback: {
    createdAt: (v) => v.createdAt,
    updatedAt: (v) => v.updatedAt,
  },
};
