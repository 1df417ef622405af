export interface Health {
  status: 'ok' | 'degraded';
  database: 'up' | 'down';
  version: string;
  uptime_seconds: number;
  role: string;
  /** Background index builds: readiness does not wait for them, operators can. */
  indexes: { state: 'ready' | 'building' | 'failed'; pending: string[]; failed: string[] };
}

export interface HealthService {
  check(): Promise<Health>;
}

export function createHealthService(deps: { ping(): Promise<boolean>; version: string; role: string; indexes?: () => Health['indexes'] }): HealthService {
  const started = Date.now();
  return {
    async check() {
      const up = await deps.ping();
      return {
        status: up ? 'ok' : 'degraded',
        database: up ? 'up' : 'down',
        version: deps.version,
        uptime_seconds: Math.round((Date.now() - started) / 1000),
        role: deps.role,
        indexes: deps.indexes?.() ?? { state: 'ready', pending: [], failed: [] },
      };
    },
  };
}
