import type { Actor } from '../../domain/auth/actor.js';
import type { Services } from '../../domain/services.js';

export interface GraphQLContext {
  services: Services;
  /** Authenticates on first use, so introspection-free errors surface per field, translated by formatError. */
  actor(): Promise<Actor>;
}

export function createContext(services: Services, apiKey: string | undefined): GraphQLContext {
  let actor: Promise<Actor> | undefined;
  return {
    services,
    actor: () => (actor ??= services.apiKeys.authenticate(apiKey)),
  };
}
