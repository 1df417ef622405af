import type { AnalyticsService } from './analytics/analytics-service.js';
import type { ApiKeyService } from './auth/api-keys.js';
import type { ExportService } from './exports/export-service.js';
import type { FeedbackService } from './feedback/feedback-service.js';
import type { HealthService } from './health.js';
import type { LogService } from './logs/log-service.js';
import type { BrowseService } from './browse/browse-service.js';
import type { TraceService } from './traces/trace-service.js';

/** Everything a transport may call. Built once in app.ts and passed down. */
export interface Services {
  apiKeys: ApiKeyService;
  health: HealthService;
  logs: LogService;
  traces: TraceService;
  exports: ExportService;
  browse: BrowseService;
  feedback: FeedbackService;
  analytics: AnalyticsService;
}
