export interface Health {
  status: 'ok' | 'degraded';
  database: 'up' | 'down';
  version: string;
  uptime_seconds: number;
  role: string;
}

export interface HealthService {
  check(): Promise<Health>;
}

export function createHealthService(deps: { ping(): Promise<boolean>; version: string; role: string }): HealthService {
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
      };
    },
  };
}
