import { randomUUID } from 'node:crypto';
import { DomainError, notFound, validationError } from '../errors.js';
import { type Actor, canSeeWorkspace, DEFAULT_WORKSPACE, LOGPORT_SCOPES, ORGANISATION_ID, requireOrganisationKey } from './actor.js';
import {
  type ApiKey,
  type ApiKeyRepository,
  createApiKeyInput,
  listApiKeysInput,
} from './api-key-model.js';
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

  /** Keys of another workspace are reported as missing, so their existence is not revealed. */
  async function findVisible(actor: Actor, id: string): Promise<ApiKey> {
    requireOrganisationKey(actor);
    const key = await repo.findById(id);
    if (!key || (key.workspaceId && !canSeeWorkspace(actor, key.workspaceId))) throw notFound('API key');
    return key;
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
      // A key cannot hand out Logport powers it does not hold itself.
      const escalated = input.scopes.filter((s) => (LOGPORT_SCOPES as readonly string[]).includes(s) && !actor.scopes.has(s));
      if (escalated.length > 0) {
        throw new DomainError('FORBIDDEN', `Cannot grant scopes this key does not hold: ${escalated.join(', ')}`);
      }
      const now = new Date();
      const secret = generateApiKeySecret();
      const key: ApiKey = {
        id: randomUUID(),
        name: input.name,
        description: input.description,
        type: `${input.kind}-${input.subType}`,
        organisationId: actor.organisationId,
        workspaceId: input.kind === 'workspace' ? input.workspace_id ?? DEFAULT_WORKSPACE : undefined,
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
      return repo.list({ workspaceId: workspace_id }, { skip: page_size * current_page, limit: page_size });
    },

    get: findVisible,

    async remove(actor, id) {
      await findVisible(actor, id);
      await repo.delete(id);
    },
  };
}
