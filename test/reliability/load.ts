import { call } from '../helpers/http.js';
import { chatLog } from '../logs/fixtures.js';

/** What a fault run measured: every answer by status, and the client ids the service acknowledged. */
export interface LoadReport {
  attempts: number;
  byStatus: Record<number, number>;
  acknowledged: string[];
  /** Answers >= 500 other than 503 (a 503 carries Retry-After and means "retry"; anything else is a bug). */
  unexpected5xx: number;
  /** 503s without a Retry-After header. */
  missingRetryAfter: number;
  /** Time of each 200, for recovery measurements. */
  okAt: number[];
}

export function emptyReport(): LoadReport {
  return { attempts: 0, byStatus: {}, acknowledged: [], unexpected5xx: 0, missingRetryAfter: 0, okAt: [] };
}

export function record(report: LoadReport, status: number, retryAfter: string | null): void {
  report.attempts++;
  report.byStatus[status] = (report.byStatus[status] ?? 0) + 1;
  if (status >= 500 && status !== 503) report.unexpected5xx++;
  if (status === 503 && !retryAfter) report.missingRetryAfter++;
  if (status === 200) report.okAt.push(Date.now());
}

/**
 * Posts batches of `batch` logs with client ids from `clients` concurrent loops until `stop()` is true. A batch
 * counts as acknowledged only on 200; refused batches are not retried (so they count as attempts, never as lost).
 */
export async function ingestUntil(
  urls: string[],
  opts: { clients: number; batch: number; prefix: string; stop: () => boolean; report: LoadReport; key?: string },
): Promise<void> {
  let seq = 0;
  await Promise.all(
    Array.from({ length: opts.clients }, async (_, c) => {
      while (!opts.stop()) {
        const ids = Array.from({ length: opts.batch }, () => `${opts.prefix}-${seq++}`);
        const url = urls[c % urls.length]!;
        try {
          const res = await call(url, 'POST', '/v1/logs', { key: opts.key, body: ids.map((id) => chatLog({ id })) });
          record(opts.report, res.status, res.headers.get('retry-after'));
          if (res.status === 200) opts.report.acknowledged.push(...ids);
          else await new Promise((r) => setTimeout(r, 100));
        } catch {
          // A refused connection (a process going away) is an attempt without an answer, not an acknowledgement.
          record(opts.report, 0, null);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }),
  );
}

/** Client ids of `ids` that GET /v1/logs/{id} does not find (acknowledged but lost). */
export async function missingLogs(url: string, ids: string[], key?: string): Promise<string[]> {
  const missing: string[] = [];
  const queue = [...ids];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
        const res = await call(url, 'GET', `/v1/logs/${encodeURIComponent(id)}`, { key });
        if (res.status !== 200) missing.push(id);
      }
    }),
  );
  return missing;
}
