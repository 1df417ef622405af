import { randomUUID } from 'node:crypto';
import { DomainError, notFound, validationError } from '../errors.js';
import {
  type Actor,
  type ApiKeyAction,
  apiKeyScope,
  canSeeWorkspace,
  DEFAULT_WORKSPACE,
  LOGPORT_SCOPES,
  ORGANISATION_ID,
  requireOrganisationKey,
  requireScope,
} from './actor.js';
import { API_KEY_TYPES, type ApiKey, type ApiKeyRepository, createApiKeyInput, listApiKeysInput } from './api-key-model.js';
import { generateApiKeySecret, hashApiKey, safeEqualHex } from './api-key-secret.js';

export const ROOT_KEY_ID = 'root';

export interface ApiKeyService {
  authenticate(secret: string | undefined): Promise<Actor>;
  create(actor: Actor, raw: unknown): Promise<{ key: ApiKey; secret: string }>;
  list(actor: Actor, raw: unknown): Promise<{ total: number; items: ApiKey[] }>;
  get(actor: Actor, id: string): Promise<ApiKey>;
  remove(actor: Actor, id: string): Promise<void>;
}

export function createApiKeyService(repo: ApiKeyRepository, rootApiKey: string): ApiKeyService {
  const rootHash = hashApiKey(rootApiKey);
  const rootActor: Actor = {
    keyId: ROOT_KEY_ID,
    name: 'root',
    kind: 'organisation',
    organisationId: ORGANISATION_ID,
    scopes: new Set(LOGPORT_SCOPES),
    isRoot: true,
  };

  function toActor(key: ApiKey): Actor {
    return {
      keyId: key.id,
      name: key.name,
      kind: key.type.startsWith('organisation') ? 'organisation' : 'workspace',
      organisationId: key.organisationId,
      workspaceId: key.workspaceId,
      scopes: new Set(key.scopes),
      isRoot: false,
    };
  }

  /**
   * Keys of another workspace are reported as missing, so their existence is not revealed; a key of a
   * type the actor may not `action` is refused (403).
   */
  async function findVisible(actor: Actor, id: string, action: ApiKeyAction): Promise<ApiKey> {
    requireOrganisationKey(actor);
    const key = await repo.findById(id);
    if (!key || (key.workspaceId && !canSeeWorkspace(actor, key.workspaceId))) throw notFound('API key');
    requireScope(actor, apiKeyScope(key.type, action));
    return key;
  }

  /** A key never creates or revokes a key with a Logport power it does not hold itself. */
  function requireNoMorePower(actor: Actor, scopes: readonly string[], verb: string): void {
    const beyond = scopes.filter((s) => LOGPORT_SCOPES.includes(s) && !actor.scopes.has(s));
    if (beyond.length > 0) throw new DomainError('FORBIDDEN', `Cannot ${verb} a key with scopes this key does not hold: ${beyond.join(', ')}`);
  }

  return {
    async authenticate(secret) {
      if (!secret) throw new DomainError('UNAUTHENTICATED', 'Missing API key: send x-portkey-api-key or Authorization: Bearer');
      const hash = hashApiKey(secret);
      if (safeEqualHex(hash, rootHash)) return rootActor;
      const key = await repo.findByHash(hash);
      if (!key) throw new DomainError('UNAUTHENTICATED', 'Invalid API key');
      return toActor(key);
    },

    async create(actor, raw) {
      requireOrganisationKey(actor);
      const parsed = createApiKeyInput.safeParse(raw);
      if (!parsed.success) throw validationError(parsed.error.issues);
      const input = parsed.data;
      requireScope(actor, apiKeyScope(`${input.kind}-${input.subType}`, 'create'));
      requireNoMorePower(actor, input.scopes, 'create');
      const now = new Date();
      const secret = generateApiKeySecret();
      const key: ApiKey = {
        id: randomUUID(),
        name: input.name,
        description: input.description,
        type: `${input.kind}-${input.subType}`,
        organisationId: actor.organisationId,
        workspaceId: input.kind === 'workspace' ? (input.workspace_id ?? DEFAULT_WORKSPACE) : undefined,
        userId: input.user_id,
        scopes: [...new Set(input.scopes)],
        keyHash: hashApiKey(secret),
        status: 'active',
        createdAt: now,
        updatedAt: now,
        createdBy: actor.keyId,
      };
      await repo.insert(key);
      return { key, secret };
    },

    async list(actor, raw) {
      requireOrganisationKey(actor);
      const parsed = listApiKeysInput.safeParse(raw);
      if (!parsed.success) throw validationError(parsed.error.issues);
      const { workspace_id, page_size, current_page } = parsed.data;
      // Only the key types this key may list; none at all is a 403 rather than an empty page.
      const types = API_KEY_TYPES.filter((t) => actor.scopes.has(apiKeyScope(t, 'list')));
      if (types.length === 0) requireScope(actor, apiKeyScope('organisation-service', 'list'));
      return repo.list({ workspaceId: workspace_id, types }, { skip: page_size * current_page, limit: page_size });
    },

    get: (actor, id) => findVisible(actor, id, 'read'),

    async remove(actor, id) {
      const key = await findVisible(actor, id, 'delete');
      requireNoMorePower(actor, key.scopes, 'revoke');
      await repo.delete(id);
    },
  };
}
