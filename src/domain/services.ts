import type { ApiKeyService } from './auth/api-keys.js';
import type { HealthService } from './health.js';
import type { LogService } from './logs/log-service.js';

/** Everything a transport may call. Built once in app.ts and passed down. */
export interface Services {
  apiKeys: ApiKeyService;
  health: HealthService;
  logs: LogService;
}
