import type { Collection, Db } from 'mongodb';
import { API_KEY_TYPES, type ApiKey, type ApiKeyRepository } from '../../domain/auth/api-key-model.js';
import { COLLECTIONS } from './collections.js';

interface ApiKeyDoc {
  _id: string;
  name: string;
  description?: string;
  type: ApiKey['type'];
  organisation_id: string;
  workspace_id?: string;
  user_id?: string;
  scopes: string[];
  key_hash: string;
  status: 'active';
  created_at: Date;
  last_updated_at: Date;
  created_by: string;
}

const toDoc = (k: ApiKey): ApiKeyDoc => ({
  _id: k.id,
  name: k.name,
  ...(k.description !== undefined && { description: k.description }),
  type: k.type,
  organisation_id: k.organisationId,
  ...(k.workspaceId !== undefined && { workspace_id: k.workspaceId }),
  ...(k.userId !== undefined && { user_id: k.userId }),
  scopes: k.scopes,
  key_hash: k.keyHash,
  status: k.status,
  created_at: k.createdAt,
  last_updated_at: k.updatedAt,
  created_by: k.createdBy,
});

const fromDoc = (d: ApiKeyDoc): ApiKey => ({
  id: d._id,
  name: d.name,
  description: d.description,
  type: d.type,
  organisationId: d.organisation_id,
  workspaceId: d.workspace_id,
  userId: d.user_id,
  scopes: d.scopes,
  keyHash: d.key_hash,
  status: d.status,
  createdAt: d.created_at,
  updatedAt: d.last_updated_at,
  createdBy: d.created_by,
});

export function createApiKeyRepository(db: Db): ApiKeyRepository {
  const col: Collection<ApiKeyDoc> = db.collection(COLLECTIONS.apiKeys);
  return {
    async insert(key) {
      await col.insertOne(toDoc(key));
    },
    async findByHash(hash) {
      const d = await col.findOne({ key_hash: hash });
      return d && fromDoc(d);
    },
    async findById(id) {
      const d = await col.findOne({ _id: id });
      return d && fromDoc(d);
    },
    async list({ workspaceId, types }, { skip, limit }) {
      const filter = { ...(workspaceId && { workspace_id: workspaceId }), ...(types && types.length < API_KEY_TYPES.length && { type: { $in: types } }) };
      const [total, docs] = await Promise.all([
        col.countDocuments(filter),
        col.find(filter).sort({ created_at: -1, _id: 1 }).skip(skip).limit(limit).toArray(),
      ]);
      return { total, items: docs.map(fromDoc) };
    },
    async delete(id) {
      const r = await col.deleteOne({ _id: id });
      return r.deletedCount === 1;
    },
  };
}
