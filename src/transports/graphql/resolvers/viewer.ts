import type { Resolvers } from '../generated/resolvers-types.js';

export const viewerResolvers: Resolvers = {
  Query: {
    async viewer(_parent, _args, ctx) {
      const a = await ctx.actor();
      return {
        keyId: a.keyId,
        name: a.name,
        kind: a.kind === 'organisation' ? 'ORGANISATION' : 'WORKSPACE',
        organisationId: a.organisationId,
        workspaceId: a.workspaceId ?? null,
        scopes: [...a.scopes],
      };
    },
  },
};
