import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { LogView } from '../../log-view.js';
import type { FeedbackView } from '../../feedback-view.js';
import type { AnalyticsInput } from '../../../domain/analytics/analytics-service.js';
import type { LogExport as DomainLogExport } from '../../../domain/exports/export-model.js';
import type { GraphQLContext } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 date-time string in UTC, e.g. `2026-01-31T12:00:00.000Z`. */
  DateTime: { input: Date | string; output: Date | string; }
  /** Any JSON value: objects, arrays, strings, numbers, booleans or null. */
  JSON: { input: unknown; output: unknown; }
};

/** The figures of Portkey's /v1/analytics, each as Portkey's JSON response (REST and tRPC answer the same). */
export type Analytics = {
  __typename?: 'Analytics';
  /** Cache summary (hits are zero: Logport sees no gateway cache), with the request count. */
  cacheSummary: Scalars['JSON']['output'];
  /** A graph by name: requests, cost, latency, tokens, users, users/requests, errors, errors/rate, errors/stacks, errors/status-codes, requests/rescued, cache/hit-rate, cache/latency, feedbacks, feedbacks/scores, feedbacks/weighted, feedbacks/ai-models. */
  graph: Scalars['JSON']['output'];
  /** A grouped list: users, ai-models, workspaces, or metadata (with `metadataKey`). `currentPage` counts from 0. */
  group: Scalars['JSON']['output'];
};


/** The figures of Portkey's /v1/analytics, each as Portkey's JSON response (REST and tRPC answer the same). */
export type AnalyticsGraphArgs = {
  name: Scalars['String']['input'];
};


/** The figures of Portkey's /v1/analytics, each as Portkey's JSON response (REST and tRPC answer the same). */
export type AnalyticsGroupArgs = {
  by: Scalars['String']['input'];
  currentPage?: InputMaybe<Scalars['Int']['input']>;
  metadataKey?: InputMaybe<Scalars['String']['input']>;
  pageSize?: InputMaybe<Scalars['Int']['input']>;
};

/** A new export. */
export type CreateExportInput = {
  /** Compression (default NONE). */
  compression?: InputMaybe<ExportCompression>;
  /** Free text. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Which logs; all when omitted. */
  filters?: InputMaybe<LogFilter>;
  /** File format (default JSONL). */
  format?: InputMaybe<ExportFormat>;
  /** At most this many rows (newest first). No limit by default. */
  limit?: InputMaybe<Scalars['Int']['input']>;
  /** Skip this many rows first. */
  offset?: InputMaybe<Scalars['Int']['input']>;
  /** Field names, either generation of Portkey's names (e.g. ai_model, req_units, metadata). */
  requestedData: Array<Scalars['String']['input']>;
  /** Workspace to export (organisation keys; default `default`). */
  workspaceId?: InputMaybe<Scalars['ID']['input']>;
};

/** Compression of an export file. */
export type ExportCompression =
  /** A .gz file. */
  | 'GZIP'
  /** Plain file. */
  | 'NONE';

/** File format of an export. */
export type ExportFormat =
  /** RFC 4180 CSV with a header line. */
  | 'CSV'
  /** One JSON object per line. */
  | 'JSONL';

/** Where an export is in its life. */
export type ExportStatus =
  /** Created, not started. */
  | 'DRAFT'
  /** Failed; see `error`. Can be started again. */
  | 'FAILED'
  /** Running. */
  | 'IN_PROGRESS'
  /** Cancelled. Can be started again. */
  | 'STOPPED'
  /** Finished; the file can be downloaded. */
  | 'SUCCESS';

/** A score given to a trace (Portkey's feedback); it applies to every log of the trace. */
export type Feedback = {
  __typename?: 'Feedback';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** Metadata key/value pairs, as an object. */
  metadata: Scalars['JSON']['output'];
  traceId: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  /** Integer from -10 to 10. */
  value: Scalars['Int']['output'];
  /** From 0 to 1. */
  weight: Scalars['Float']['output'];
};

/** New feedback for a trace. */
export type FeedbackInput = {
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  traceId: Scalars['String']['input'];
  /** Integer from -10 to 10. */
  value: Scalars['Int']['input'];
  /** From 0 to 1; 1 when omitted. */
  weight?: InputMaybe<Scalars['Float']['input']>;
};

/** A new value (and optionally weight and metadata) for existing feedback. */
export type FeedbackUpdateInput = {
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  value: Scalars['Int']['input'];
  weight?: InputMaybe<Scalars['Float']['input']>;
};

/** Whether a key acts for the whole organisation or for a single workspace. */
export type KeyKind =
  /** Sees every workspace; acts on the one named in a request, else on `default`. */
  | 'ORGANISATION'
  /** Sees and writes only its own workspace. */
  | 'WORKSPACE';

/** A stored LLM request log, or an OpenTelemetry span mapped to one. */
export type Log = {
  __typename?: 'Log';
  /** Spans whose parent is this one, in start order. */
  children: Array<Log>;
  /** Cost in cents. */
  cost: Maybe<Scalars['Float']['output']>;
  /** Currency of the cost (USD unless the client said otherwise). */
  costCurrency: Maybe<Scalars['String']['output']>;
  /** Where the cost came from: `client` (sent in metadata or span attributes) or `computed` (price table). */
  costSource: Maybe<Scalars['String']['output']>;
  /** When the request happened (the client's timestamp or span start), else ingestion time. */
  createdAt: Scalars['DateTime']['output'];
  /** The feedback given to the log's trace, oldest first. */
  feedback: Array<Feedback>;
  /** Logport's id for the log. */
  id: Scalars['ID']['output'];
  /** Whether the status was 2xx (spans: not ERROR). */
  isSuccess: Scalars['Boolean']['output'];
  /** Metadata key/value pairs, as an object. */
  metadata: Scalars['JSON']['output'];
  /** Model name as reported by the response (else the request, else metadata). */
  model: Maybe<Scalars['String']['output']>;
  /** Parent span id; the parent may be a REST log or an OTLP span. */
  parentSpanId: Maybe<Scalars['String']['output']>;
  /** AI provider, e.g. openai, anthropic, google, bedrock. */
  provider: Maybe<Scalars['String']['output']>;
  /** The request: url, method, headers and the body exactly as received. */
  request: Scalars['JSON']['output'];
  /** Prompt (input) tokens, cache reads and writes included. */
  requestTokens: Maybe<Scalars['Int']['output']>;
  /** The response: status, headers and the body exactly as received. */
  response: Scalars['JSON']['output'];
  /** Latency in milliseconds. */
  responseTimeMs: Maybe<Scalars['Float']['output']>;
  /** Completion (output) tokens, reasoning included. */
  responseTokens: Maybe<Scalars['Int']['output']>;
  /** How it arrived: `rest` (POST /v1/logs) or `otlp` (OpenTelemetry). */
  source: Scalars['String']['output'];
  /** Span id within the trace. */
  spanId: Maybe<Scalars['String']['output']>;
  /** Span name. */
  spanName: Maybe<Scalars['String']['output']>;
  /** HTTP status of the provider response (spans: 200 unless the span failed). */
  statusCode: Scalars['Int']['output'];
  /** Request plus response tokens. */
  totalTokens: Maybe<Scalars['Int']['output']>;
  /** Trace the log belongs to, if any. */
  traceId: Maybe<Scalars['String']['output']>;
  /** Weighted mean (Σ value × weight / Σ weight) of the feedback given to the log's trace; null without feedback. */
  weightedFeedback: Maybe<Scalars['Float']['output']>;
  /** Workspace the log belongs to. */
  workspaceId: Scalars['ID']['output'];
};

/** What a bounded body search found and how far it read. */
export type LogBodySearch = {
  __typename?: 'LogBodySearch';
  /** True when every log of the range was tested. */
  complete: Scalars['Boolean']['output'];
  /** Matching logs, newest first. */
  logs: Array<Log>;
  /** When the search stopped early: the created time of the last log tested (use it as `to` to search on). */
  resumeBefore: Maybe<Scalars['DateTime']['output']>;
  /** Logs tested. */
  scanned: Scalars['Int']['output'];
};

/** A page of logs. */
export type LogConnection = {
  __typename?: 'LogConnection';
  /** The logs of this page. */
  edges: Array<LogEdge>;
  /** Where this page ends. */
  pageInfo: PageInfo;
  /** Logs matching the filter, ignoring paging. */
  totalCount: Scalars['Int']['output'];
};

/** A log and the cursor that points after it. */
export type LogEdge = {
  __typename?: 'LogEdge';
  /** Pass as `after` to continue after this log. */
  cursor: Scalars['String']['output'];
  /** The log. */
  node: Log;
};

/** An asynchronous export of logs to a downloadable file. */
export type LogExport = {
  __typename?: 'LogExport';
  /** File compression. */
  compression: ExportCompression;
  /** When it was created. */
  createdAt: Scalars['DateTime']['output'];
  /** Free text. */
  description: Scalars['String']['output'];
  /** A fresh signed download link when SUCCESS, else null. */
  downloadUrl: Maybe<Scalars['String']['output']>;
  /** Why it failed, when FAILED. */
  error: Maybe<Scalars['String']['output']>;
  /** The filters as given when the export was created or last changed. */
  filters: Scalars['JSON']['output'];
  /** File format. */
  format: ExportFormat;
  /** Export id. */
  id: Scalars['ID']['output'];
  /** Rows written so far by the current run. */
  processed: Scalars['Int']['output'];
  /** Share of rows written, 0..1; never goes back during a run. */
  progress: Scalars['Float']['output'];
  /** Fields in each row, named as requested. */
  requestedData: Array<Scalars['String']['output']>;
  /** Lifecycle status. */
  status: ExportStatus;
  /** Rows that matched when the export was created or changed; rows written once it succeeded. */
  total: Scalars['Int']['output'];
  /** When it last changed. */
  updatedAt: Scalars['DateTime']['output'];
  /** Workspace whose logs are exported. */
  workspaceId: Scalars['ID']['output'];
};

/**
 * Narrows logs. Every field is optional and all given fields must match. List fields also accept a single value.
 * The same filter drives `logs`, exports and the REST GenerationsFilter.
 */
export type LogFilter = {
  /** Config id(s). */
  config?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Created at or after. */
  from?: InputMaybe<Scalars['DateTime']['input']>;
  /** Only successes (true) or only failures (false). */
  isSuccess?: InputMaybe<Scalars['Boolean']['input']>;
  /** Maximum cost in cents. */
  maxCost?: InputMaybe<Scalars['Float']['input']>;
  /** Maximum request (prompt) tokens. */
  maxRequestTokens?: InputMaybe<Scalars['Int']['input']>;
  /** Maximum response (completion) tokens. */
  maxResponseTokens?: InputMaybe<Scalars['Int']['input']>;
  /** Maximum total tokens. */
  maxTokens?: InputMaybe<Scalars['Int']['input']>;
  /** Maximum weighted feedback of the log's trace. */
  maxWeightedFeedback?: InputMaybe<Scalars['Float']['input']>;
  /** Metadata pairs that must all be present, e.g. {"user.id": "u-1"}. */
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  /** Minimum cost in cents. */
  minCost?: InputMaybe<Scalars['Float']['input']>;
  /** Minimum request (prompt) tokens. */
  minRequestTokens?: InputMaybe<Scalars['Int']['input']>;
  /** Minimum response (completion) tokens. */
  minResponseTokens?: InputMaybe<Scalars['Int']['input']>;
  /** Minimum total tokens. */
  minTokens?: InputMaybe<Scalars['Int']['input']>;
  /** Minimum weighted feedback of the log's trace (logs without feedback never match a feedback bound). */
  minWeightedFeedback?: InputMaybe<Scalars['Float']['input']>;
  /** Model name(s). */
  model?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Models starting with any of these, in any case (`claude` finds `claude-3-5-sonnet`). */
  modelPrefix?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Prompt slug(s). */
  promptSlug?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Provider(s), e.g. openai. */
  provider?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Span id(s). */
  spanId?: InputMaybe<Array<Scalars['String']['input']>>;
  /** HTTP status code(s). */
  statusCode?: InputMaybe<Array<Scalars['Int']['input']>>;
  /** Created at or before. */
  to?: InputMaybe<Scalars['DateTime']['input']>;
  /** Trace id(s). */
  traceId?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Virtual key(s). */
  virtualKey?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** Orders a log list. */
export type LogSort = {
  /** Direction (default DESC). */
  direction?: InputMaybe<SortDirection>;
  /** Column to order by. */
  field: LogSortField;
};

/** Columns logs can be ordered by. */
export type LogSortField =
  /** Cost. */
  | 'COST'
  /** Creation time. */
  | 'CREATED_AT'
  /** Latency. */
  | 'LATENCY'
  /** Total tokens. */
  | 'TOTAL_TOKENS';

export type Mutation = {
  __typename?: 'Mutation';
  /** Stops a draft or running export; a running job stops within seconds and its partial file is deleted. */
  cancelExport: LogExport;
  /** Creates a draft export of the logs matching `filters`; `total` says how many match now. */
  createExport: LogExport;
  /** Stores feedback (one or many, validated whole); returns their ids in input order. Needs `logs.write`. */
  createFeedback: Array<Scalars['ID']['output']>;
  /** Deletes a draft, failed or stopped export and any partial file (CONFLICT while running or done); returns its id. */
  deleteExport: Scalars['ID']['output'];
  /** Runs a draft export, or a failed or stopped one again from the start (CONFLICT while running or done). */
  startExport: LogExport;
  /** Changes a draft, failed or stopped export (CONFLICT otherwise). */
  updateExport: LogExport;
  /** Changes feedback; omitted weight and metadata keep their values. Needs `logs.write`. */
  updateFeedback: Feedback;
};


export type MutationCancelExportArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCreateExportArgs = {
  input: CreateExportInput;
};


export type MutationCreateFeedbackArgs = {
  input: Array<FeedbackInput>;
  workspaceId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationDeleteExportArgs = {
  id: Scalars['ID']['input'];
};


export type MutationStartExportArgs = {
  id: Scalars['ID']['input'];
};


export type MutationUpdateExportArgs = {
  id: Scalars['ID']['input'];
  input: UpdateExportInput;
};


export type MutationUpdateFeedbackArgs = {
  id: Scalars['ID']['input'];
  input: FeedbackUpdateInput;
  workspaceId?: InputMaybe<Scalars['ID']['input']>;
};

/** Paging state. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor of the last edge, if any. */
  endCursor: Maybe<Scalars['String']['output']>;
  /** Whether more logs follow. */
  hasNextPage: Scalars['Boolean']['output'];
};

/**
 * The entry point for reads. Every field requires an API key (x-portkey-api-key or Authorization: Bearer;
 * over WebSocket, connectionParams.apiKey).
 */
export type Query = {
  __typename?: 'Query';
  /** Portkey's analytics over the logs matching `filter` (its `from` and `to` are required). Needs `logs.list`. */
  analytics: Analytics;
  /** A log (or OTLP span) by Logport id, or by the client's own idempotency id. Null when missing or in another workspace. */
  log: Maybe<Log>;
  /** An export by id; null when missing or in another workspace. */
  logExport: Maybe<LogExport>;
  /** Exports, newest first: the key's workspace, or for organisation keys the named workspace (all when omitted). */
  logExports: Array<LogExport>;
  /**
   * Known values of a filter field, from the newest 5,000 logs (since `since` when given), cached for 30 s:
   * those containing `prefix` in any case, values starting with it first, then the most frequent. `first` ≤ 100 (default 20).
   */
  logSuggestions: Array<Suggestion>;
  /**
   * Logs matching a filter, newest first (ties by id) unless `sort` names another order, with cursor paging.
   * `first` is at most 1000 (default 50). Other orders page by offset.
   */
  logs: LogConnection;
  /**
   * Logs whose request or response body contains `text` (any case), newest first, within `filter` (which must
   * set `from`). Bounded: stops at `first` hits (≤ 100, default 25), after 20,000 logs tested or after 5 seconds.
   */
  searchLogBodies: LogBodySearch;
  /** Every log and span sharing a trace id, as a tree. Null when the trace has no logs in the workspace. */
  trace: Maybe<Trace>;
  /**
   * Recent traces, newest root span first: one row per root span (a log with a trace id and no parent span id)
   * matching `filter`; the sums cover every span of the trace. `first` is at most 200 (default 25).
   */
  traces: TraceConnection;
  /** The API key making this request: who it is and what it may do. */
  viewer: Viewer;
};


/**
 * The entry point for reads. Every field requires an API key (x-portkey-api-key or Authorization: Bearer;
 * over WebSocket, connectionParams.apiKey).
 */
export type QueryAnalyticsArgs = {
  filter: LogFilter;
  workspaceId?: InputMaybe<Scalars['ID']['input']>;
};


/**
 * The entry point for reads. Every field requires an API key (x-portkey-api-key or Authorization: Bearer;
 * over WebSocket, connectionParams.apiKey).
 */
export type QueryLogArgs = {
  id: Scalars['ID']['input'];
  workspaceId?: InputMaybe<Scalars['ID']['input']>;
};


/**
 * The entry point for reads. Every field requires an API key (x-portkey-api-key or Authorization: Bearer;
 * over WebSocket, connectionParams.apiKey).
 */
export type QueryLogExportArgs = {
  id: Scalars['ID']['input'];
};


/**
 * The entry point for reads. Every field requires an API key (x-portkey-api-key or Authorization: Bearer;
 * over WebSocket, connectionParams.apiKey).
 */
export type QueryLogExportsArgs = {
  workspaceId?: InputMaybe<Scalars['ID']['input']>;
};


/**
 * The entry point for reads. Every field requires an API key (x-portkey-api-key or Authorization: Bearer;
 * over WebSocket, connectionParams.apiKey).
 */
export type QueryLogSuggestionsArgs = {
  field: SuggestionField;
  first?: InputMaybe<Scalars['Int']['input']>;
  prefix?: InputMaybe<Scalars['String']['input']>;
  since?: InputMaybe<Scalars['DateTime']['input']>;
  workspaceId?: InputMaybe<Scalars['ID']['input']>;
};


/**
 * The entry point for reads. Every field requires an API key (x-portkey-api-key or Authorization: Bearer;
 * over WebSocket, connectionParams.apiKey).
 */
export type QueryLogsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<LogFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  sort?: InputMaybe<LogSort>;
  workspaceId?: InputMaybe<Scalars['ID']['input']>;
};


/**
 * The entry point for reads. Every field requires an API key (x-portkey-api-key or Authorization: Bearer;
 * over WebSocket, connectionParams.apiKey).
 */
export type QuerySearchLogBodiesArgs = {
  filter: LogFilter;
  first?: InputMaybe<Scalars['Int']['input']>;
  text: Scalars['String']['input'];
  workspaceId?: InputMaybe<Scalars['ID']['input']>;
};


/**
 * The entry point for reads. Every field requires an API key (x-portkey-api-key or Authorization: Bearer;
 * over WebSocket, connectionParams.apiKey).
 */
export type QueryTraceArgs = {
  traceId: Scalars['ID']['input'];
  workspaceId?: InputMaybe<Scalars['ID']['input']>;
};


/**
 * The entry point for reads. Every field requires an API key (x-portkey-api-key or Authorization: Bearer;
 * over WebSocket, connectionParams.apiKey).
 */
export type QueryTracesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<LogFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  workspaceId?: InputMaybe<Scalars['ID']['input']>;
};

/** Sort direction. */
export type SortDirection =
  /** Smallest first. */
  | 'ASC'
  /** Largest first. */
  | 'DESC';

export type Subscription = {
  __typename?: 'Subscription';
  /**
   * The export's current state, then one event per change of status or progress while it runs, ending after
   * a terminal status (SUCCESS, FAILED, STOPPED). Works whichever process runs the job.
   */
  exportStatusChanged: LogExport;
  /**
   * New logs matching `filter` as they are stored (by any process), in batches, oldest first within a batch.
   * Starts after the newest log present when subscribing; polls about once a second.
   */
  logsAdded: Array<Log>;
};


export type SubscriptionExportStatusChangedArgs = {
  id: Scalars['ID']['input'];
};


export type SubscriptionLogsAddedArgs = {
  filter?: InputMaybe<LogFilter>;
  workspaceId?: InputMaybe<Scalars['ID']['input']>;
};

/** A known value and how many sampled logs carry it. */
export type Suggestion = {
  __typename?: 'Suggestion';
  /** Logs among the sampled ones with this value. */
  count: Scalars['Int']['output'];
  /** The value. */
  value: Scalars['String']['output'];
};

/** Filter fields with suggestable values. */
export type SuggestionField =
  /** Metadata keys. */
  | 'METADATA_KEY'
  /** Model names. */
  | 'MODEL'
  /** Providers. */
  | 'PROVIDER'
  /** HTTP status codes. */
  | 'STATUS_CODE';

/** Every log and span of one trace. */
export type Trace = {
  __typename?: 'Trace';
  /** Spans without a parent in the trace; walk `children` from here. */
  roots: Array<Log>;
  /** All logs and spans of the trace, in time order. */
  spans: Array<Log>;
  /** The trace id. */
  traceId: Scalars['ID']['output'];
};

/** A page of traces. */
export type TraceConnection = {
  __typename?: 'TraceConnection';
  /** The traces of this page. */
  edges: Array<TraceEdge>;
  /** Where this page ends. */
  pageInfo: PageInfo;
};

/** A trace and the cursor after it. */
export type TraceEdge = {
  __typename?: 'TraceEdge';
  /** Pass as `after` to continue after this trace. */
  cursor: Scalars['String']['output'];
  /** The trace. */
  node: TraceSummary;
};

/** One trace of the traces list. */
export type TraceSummary = {
  __typename?: 'TraceSummary';
  /** Cost of every span, in cents. */
  cost: Scalars['Float']['output'];
  /** From the earliest start to the latest end, in milliseconds. */
  durationMs: Scalars['Float']['output'];
  /** Failed spans. */
  errorCount: Scalars['Int']['output'];
  /** Id of the root span's log. */
  rootLogId: Scalars['ID']['output'];
  /** The root span's name (else its model). */
  rootSpanName: Maybe<Scalars['String']['output']>;
  /** Spans in the trace. */
  spanCount: Scalars['Int']['output'];
  /** Earliest start of any span. */
  startedAt: Scalars['DateTime']['output'];
  /** Total tokens of every span. */
  totalTokens: Scalars['Int']['output'];
  /** The trace id. */
  traceId: Scalars['ID']['output'];
};

/** Changes to an export; omitted fields stay as they are. */
export type UpdateExportInput = {
  /** Compression. */
  compression?: InputMaybe<ExportCompression>;
  /** Free text. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Replaces the filters. */
  filters?: InputMaybe<LogFilter>;
  /** File format. */
  format?: InputMaybe<ExportFormat>;
  /** At most this many rows. */
  limit?: InputMaybe<Scalars['Int']['input']>;
  /** Skip this many rows first. */
  offset?: InputMaybe<Scalars['Int']['input']>;
  /** Replaces the field list. */
  requestedData?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** The identity behind an API key. */
export type Viewer = {
  __typename?: 'Viewer';
  /** Id of the API key (`root` for the ROOT_API_KEY). */
  keyId: Scalars['ID']['output'];
  /** Organisation or workspace key. */
  kind: KeyKind;
  /** Name given to the key when it was created. */
  name: Scalars['String']['output'];
  /** Organisation the key belongs to. */
  organisationId: Scalars['ID']['output'];
  /** Scopes the key holds (Logport enforces logs.write, logs.list, logs.view and logs.export). */
  scopes: Array<Scalars['String']['output']>;
  /** For workspace keys, the workspace they are bound to; null for organisation keys. */
  workspaceId: Maybe<Scalars['ID']['output']>;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Analytics: ResolverTypeWrapper<AnalyticsInput>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  CreateExportInput: CreateExportInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  ExportCompression: ExportCompression;
  ExportFormat: ExportFormat;
  ExportStatus: ExportStatus;
  Feedback: ResolverTypeWrapper<FeedbackView>;
  FeedbackInput: FeedbackInput;
  FeedbackUpdateInput: FeedbackUpdateInput;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  KeyKind: KeyKind;
  Log: ResolverTypeWrapper<LogView>;
  LogBodySearch: ResolverTypeWrapper<Omit<LogBodySearch, 'logs'> & { logs: Array<ResolversTypes['Log']> }>;
  LogConnection: ResolverTypeWrapper<Omit<LogConnection, 'edges'> & { edges: Array<ResolversTypes['LogEdge']> }>;
  LogEdge: ResolverTypeWrapper<Omit<LogEdge, 'node'> & { node: ResolversTypes['Log'] }>;
  LogExport: ResolverTypeWrapper<DomainLogExport>;
  LogFilter: LogFilter;
  LogSort: LogSort;
  LogSortField: LogSortField;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  SortDirection: SortDirection;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Suggestion: ResolverTypeWrapper<Suggestion>;
  SuggestionField: SuggestionField;
  Trace: ResolverTypeWrapper<Omit<Trace, 'roots' | 'spans'> & { roots: Array<ResolversTypes['Log']>, spans: Array<ResolversTypes['Log']> }>;
  TraceConnection: ResolverTypeWrapper<TraceConnection>;
  TraceEdge: ResolverTypeWrapper<TraceEdge>;
  TraceSummary: ResolverTypeWrapper<TraceSummary>;
  UpdateExportInput: UpdateExportInput;
  Viewer: ResolverTypeWrapper<Viewer>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Analytics: AnalyticsInput;
  Boolean: Scalars['Boolean']['output'];
  CreateExportInput: CreateExportInput;
  DateTime: Scalars['DateTime']['output'];
  Feedback: FeedbackView;
  FeedbackInput: FeedbackInput;
  FeedbackUpdateInput: FeedbackUpdateInput;
  Float: Scalars['Float']['output'];
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  JSON: Scalars['JSON']['output'];
  Log: LogView;
  LogBodySearch: Omit<LogBodySearch, 'logs'> & { logs: Array<ResolversParentTypes['Log']> };
  LogConnection: Omit<LogConnection, 'edges'> & { edges: Array<ResolversParentTypes['LogEdge']> };
  LogEdge: Omit<LogEdge, 'node'> & { node: ResolversParentTypes['Log'] };
  LogExport: DomainLogExport;
  LogFilter: LogFilter;
  LogSort: LogSort;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  String: Scalars['String']['output'];
  Subscription: Record<PropertyKey, never>;
  Suggestion: Suggestion;
  Trace: Omit<Trace, 'roots' | 'spans'> & { roots: Array<ResolversParentTypes['Log']>, spans: Array<ResolversParentTypes['Log']> };
  TraceConnection: TraceConnection;
  TraceEdge: TraceEdge;
  TraceSummary: TraceSummary;
  UpdateExportInput: UpdateExportInput;
  Viewer: Viewer;
};

export type AnalyticsResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Analytics'] = ResolversParentTypes['Analytics']> = {
  cacheSummary?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  graph?: Resolver<ResolversTypes['JSON'], ParentType, ContextType, RequireFields<AnalyticsGraphArgs, 'name'>>;
  group?: Resolver<ResolversTypes['JSON'], ParentType, ContextType, RequireFields<AnalyticsGroupArgs, 'by'>>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type FeedbackResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Feedback'] = ResolversParentTypes['Feedback']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  metadata?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  traceId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  weight?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type LogResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Log'] = ResolversParentTypes['Log']> = {
  children?: Resolver<Array<ResolversTypes['Log']>, ParentType, ContextType>;
  cost?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  costCurrency?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  costSource?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  feedback?: Resolver<Array<ResolversTypes['Feedback']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  isSuccess?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  metadata?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  model?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  parentSpanId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  provider?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  request?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  requestTokens?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  response?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  responseTimeMs?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  responseTokens?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  spanId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  spanName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  statusCode?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  totalTokens?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  traceId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  weightedFeedback?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  workspaceId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type LogBodySearchResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['LogBodySearch'] = ResolversParentTypes['LogBodySearch']> = {
  complete?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  logs?: Resolver<Array<ResolversTypes['Log']>, ParentType, ContextType>;
  resumeBefore?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  scanned?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type LogConnectionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['LogConnection'] = ResolversParentTypes['LogConnection']> = {
  edges?: Resolver<Array<ResolversTypes['LogEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type LogEdgeResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['LogEdge'] = ResolversParentTypes['LogEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Log'], ParentType, ContextType>;
};

export type LogExportResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['LogExport'] = ResolversParentTypes['LogExport']> = {
  compression?: Resolver<ResolversTypes['ExportCompression'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  downloadUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  filters?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  format?: Resolver<ResolversTypes['ExportFormat'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  processed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  progress?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  requestedData?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ExportStatus'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  workspaceId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  cancelExport?: Resolver<ResolversTypes['LogExport'], ParentType, ContextType, RequireFields<MutationCancelExportArgs, 'id'>>;
  createExport?: Resolver<ResolversTypes['LogExport'], ParentType, ContextType, RequireFields<MutationCreateExportArgs, 'input'>>;
  createFeedback?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType, RequireFields<MutationCreateFeedbackArgs, 'input'>>;
  deleteExport?: Resolver<ResolversTypes['ID'], ParentType, ContextType, RequireFields<MutationDeleteExportArgs, 'id'>>;
  startExport?: Resolver<ResolversTypes['LogExport'], ParentType, ContextType, RequireFields<MutationStartExportArgs, 'id'>>;
  updateExport?: Resolver<ResolversTypes['LogExport'], ParentType, ContextType, RequireFields<MutationUpdateExportArgs, 'id' | 'input'>>;
  updateFeedback?: Resolver<ResolversTypes['Feedback'], ParentType, ContextType, RequireFields<MutationUpdateFeedbackArgs, 'id' | 'input'>>;
};

export type PageInfoResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  analytics?: Resolver<ResolversTypes['Analytics'], ParentType, ContextType, RequireFields<QueryAnalyticsArgs, 'filter'>>;
  log?: Resolver<Maybe<ResolversTypes['Log']>, ParentType, ContextType, RequireFields<QueryLogArgs, 'id'>>;
  logExport?: Resolver<Maybe<ResolversTypes['LogExport']>, ParentType, ContextType, RequireFields<QueryLogExportArgs, 'id'>>;
  logExports?: Resolver<Array<ResolversTypes['LogExport']>, ParentType, ContextType, Partial<QueryLogExportsArgs>>;
  logSuggestions?: Resolver<Array<ResolversTypes['Suggestion']>, ParentType, ContextType, RequireFields<QueryLogSuggestionsArgs, 'field'>>;
  logs?: Resolver<ResolversTypes['LogConnection'], ParentType, ContextType, Partial<QueryLogsArgs>>;
  searchLogBodies?: Resolver<ResolversTypes['LogBodySearch'], ParentType, ContextType, RequireFields<QuerySearchLogBodiesArgs, 'filter' | 'text'>>;
  trace?: Resolver<Maybe<ResolversTypes['Trace']>, ParentType, ContextType, RequireFields<QueryTraceArgs, 'traceId'>>;
  traces?: Resolver<ResolversTypes['TraceConnection'], ParentType, ContextType, Partial<QueryTracesArgs>>;
  viewer?: Resolver<ResolversTypes['Viewer'], ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  exportStatusChanged?: SubscriptionResolver<ResolversTypes['LogExport'], "exportStatusChanged", ParentType, ContextType, RequireFields<SubscriptionExportStatusChangedArgs, 'id'>>;
  logsAdded?: SubscriptionResolver<Array<ResolversTypes['Log']>, "logsAdded", ParentType, ContextType, Partial<SubscriptionLogsAddedArgs>>;
};

export type SuggestionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Suggestion'] = ResolversParentTypes['Suggestion']> = {
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type TraceResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Trace'] = ResolversParentTypes['Trace']> = {
  roots?: Resolver<Array<ResolversTypes['Log']>, ParentType, ContextType>;
  spans?: Resolver<Array<ResolversTypes['Log']>, ParentType, ContextType>;
  traceId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type TraceConnectionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['TraceConnection'] = ResolversParentTypes['TraceConnection']> = {
  edges?: Resolver<Array<ResolversTypes['TraceEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type TraceEdgeResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['TraceEdge'] = ResolversParentTypes['TraceEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['TraceSummary'], ParentType, ContextType>;
};

export type TraceSummaryResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['TraceSummary'] = ResolversParentTypes['TraceSummary']> = {
  cost?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  durationMs?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  errorCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  rootLogId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  rootSpanName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  spanCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  startedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  totalTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  traceId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type ViewerResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Viewer'] = ResolversParentTypes['Viewer']> = {
  keyId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['KeyKind'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  organisationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  scopes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  workspaceId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
};

export type Resolvers<ContextType = GraphQLContext> = {
  Analytics?: AnalyticsResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Feedback?: FeedbackResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  Log?: LogResolvers<ContextType>;
  LogBodySearch?: LogBodySearchResolvers<ContextType>;
  LogConnection?: LogConnectionResolvers<ContextType>;
  LogEdge?: LogEdgeResolvers<ContextType>;
  LogExport?: LogExportResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  Suggestion?: SuggestionResolvers<ContextType>;
  Trace?: TraceResolvers<ContextType>;
  TraceConnection?: TraceConnectionResolvers<ContextType>;
  TraceEdge?: TraceEdgeResolvers<ContextType>;
  TraceSummary?: TraceSummaryResolvers<ContextType>;
  Viewer?: ViewerResolvers<ContextType>;
};

