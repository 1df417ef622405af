import { z } from 'zod';

export const API_KEY_TYPES = ['organisation-service', 'organisation-user', 'workspace-service', 'workspace-user'] as const;
export type ApiKeyType = (typeof API_KEY_TYPES)[number];

export interface ApiKey {
  id: string;
  name: string;
  description?: string;
  type: ApiKeyType;
  organisationId: string;
  workspaceId?: string;
  userId?: string;
  scopes: string[];
  keyHash: string;
  status: 'active';
  createdAt: Date;
  updatedAt: Date;
  createdBy: string;
}

/** Body of POST /v1/api-keys/{type}/{sub-type}. Unknown fields (the SDK sends `type`, `sub-type`) are ignored. */
export const createApiKeyInput = z.object({
  kind: z.enum(['organisation', 'workspace']),
  subType: z.enum(['user', 'service']),
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  workspace_id: z.string().trim().min(1).max(128).optional(),
  user_id: z.string().trim().min(1).max(128).optional(),
  scopes: z.array(z.string().regex(/^[A-Za-z0-9_.*-]{1,100}$/, 'invalid scope name')).max(200),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeyInput>;

export const listApiKeysInput = z.object({
  workspace_id: z.string().min(1).max(128).optional(),
  page_size: z.coerce.number().int().min(1).max(1000).default(100),
  current_page: z.coerce.number().int().min(0).default(0),
});
export type ListApiKeysInput = z.infer<typeof listApiKeysInput>;

export interface ApiKeyRepository {
  insert(key: ApiKey): Promise<void>;
  findByHash(hash: string): Promise<ApiKey | null>;
  findById(id: string): Promise<ApiKey | null>;
  list(filter: { workspaceId?: string; types?: readonly ApiKeyType[] }, page: { skip: number; limit: number }): Promise<{ total: number; items: ApiKey[] }>;
  delete(id: string): Promise<boolean>;
}
