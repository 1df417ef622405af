import { DomainError } from '../errors.js';

/** Log scopes Logport enforces. Keys may carry other (Portkey) scopes; those are kept but grant nothing here. */
export const LOG_SCOPES = ['logs.write', 'logs.list', 'logs.view', 'logs.export'] as const;
export type Scope = (typeof LOG_SCOPES)[number];

/**
 * Key management, with Portkey's permission names: `<type>_api_keys.<action>` for each key type
 * (e.g. `organisation_service_api_keys.create`, `workspace_service_api_keys.delete`).
 */
export const API_KEY_TYPE_SCOPE_PREFIXES = ['organisation_service', 'organisation_user', 'workspace_service', 'workspace_user'] as const;
export const API_KEY_ACTIONS = ['create', 'read', 'list', 'delete'] as const;
export type ApiKeyAction = (typeof API_KEY_ACTIONS)[number];
export const API_KEY_SCOPES = API_KEY_TYPE_SCOPE_PREFIXES.flatMap((t) => API_KEY_ACTIONS.map((a) => `${t}_api_keys.${a}`));

/** The scope that allows `action` on keys of `type` ("workspace-service" -> "workspace_service_api_keys.delete"). */
export function apiKeyScope(type: string, action: ApiKeyAction): string {
  return `${type.replace('-', '_')}_api_keys.${action}`;
}

/** Every scope Logport enforces: what the root key holds, and what no key may grant without holding it. */
export const LOGPORT_SCOPES: readonly string[] = [...LOG_SCOPES, ...API_KEY_SCOPES];

export const DEFAULT_WORKSPACE = 'default';
export const ORGANISATION_ID = 'default';

/** Who is calling: derived from the API key once per request and passed to every domain operation. */
export interface Actor {
  keyId: string;
  name: string;
  kind: 'organisation' | 'workspace';
  organisationId: string;
  /** Set for workspace keys: the only workspace they can see. */
  workspaceId?: string;
  scopes: ReadonlySet<string>;
  isRoot: boolean;
}

export function requireScope(actor: Actor, scope: Scope | (string & {})): void {
  if (!actor.scopes.has(scope)) {
    throw new DomainError('FORBIDDEN', `This API key lacks the "${scope}" scope`);
  }
}

export function requireOrganisationKey(actor: Actor): void {
  if (actor.kind !== 'organisation') {
    throw new DomainError('FORBIDDEN', 'Only organisation API keys may manage API keys');
  }
}

/**
 * The workspace an operation acts on: a workspace key is pinned to its own; an organisation key works on
 * the one it names, or on "default".
 */
export function resolveWorkspace(actor: Actor, requested?: string | null): string {
  if (actor.kind === 'workspace') {
    if (requested && requested !== actor.workspaceId) {
      throw new DomainError('FORBIDDEN', 'This API key belongs to another workspace');
    }
    return actor.workspaceId!;
  }
  return requested || DEFAULT_WORKSPACE;
}

/** Whether the actor may see objects of this workspace (organisation keys see every workspace). */
export function canSeeWorkspace(actor: Actor, workspaceId: string): boolean {
  return actor.kind === 'organisation' || actor.workspaceId === workspaceId;
}
