import { completeUsage, type ExtractedUsage } from '../logs/derive.js';
import type { AttributeValue } from './otlp-model.js';
import { IndexedMessages } from './genai-messages.js';
import { count } from '../values.js';

/**
 * Everything the GenAI semantic conventions (current and legacy names) and OpenInference can say about an
 * LLM call, gathered in one pass over a span's attributes. Aliases land in separate fields and are resolved
 * afterwards, so the order attributes arrive in never matters.
 */
export class GenAiScan {
  responseModel: string | undefined = undefined;
  requestModel: string | undefined = undefined;
  llmModel: string | undefined = undefined;
  providerName: string | undefined = undefined;
  system: string | undefined = undefined;
  llmProvider: string | undefined = undefined;
  inputTokens: number | undefined = undefined;
  promptTokens: number | undefined = undefined;
  llmPromptTokens: number | undefined = undefined;
  outputTokens: number | undefined = undefined;
  completionTokens: number | undefined = undefined;
  llmCompletionTokens: number | undefined = undefined;
  totalTokens: number | undefined = undefined;
  cacheReadTokens: number | undefined = undefined;
  cacheWriteTokens: number | undefined = undefined;
  reasoningTokens: number | undefined = undefined;
  costUsd: number | undefined = undefined;
  operation: string | undefined = undefined;
  userId: string | undefined = undefined;
  sessionId: string | undefined = undefined;
  conversationId: string | undefined = undefined;
  httpStatus: number | undefined = undefined;
  url: string | undefined = undefined;
  method: string | undefined = undefined;
  serverAddress: string | undefined = undefined;
  responseId: string | undefined = undefined;
  finishReasons: AttributeValue | undefined = undefined;
  inputMessages: AttributeValue | undefined = undefined;
  outputMessages: AttributeValue | undefined = undefined;
  systemInstructions: AttributeValue | undefined = undefined;
  toolDefinitions: AttributeValue | undefined = undefined;
  params: Record<string, AttributeValue> | undefined = undefined;
  prompts: IndexedMessages | undefined = undefined;
  completions: IndexedMessages | undefined = undefined;
}

enum F {
  ResponseModel,
  RequestModel,
  LlmModel,
  ProviderName,
  System,
  LlmProvider,
  InputTokens,
  PromptTokens,
  LlmPromptTokens,
  OutputTokens,
  CompletionTokens,
  LlmCompletionTokens,
  TotalTokens,
  CacheRead,
  CacheWrite,
  Reasoning,
  Cost,
  Operation,
  UserId,
  SessionId,
  ConversationId,
  HttpStatus,
  Url,
  Method,
  ServerAddress,
  ResponseId,
  FinishReasons,
  InputMessages,
  OutputMessages,
  SystemInstructions,
  ToolDefinitions,
}

const EXACT = new Map<string, F>([
  ['gen_ai.response.model', F.ResponseModel],
  ['gen_ai.request.model', F.RequestModel],
  ['llm.model_name', F.LlmModel],
  ['gen_ai.provider.name', F.ProviderName],
  ['gen_ai.system', F.System],
  ['llm.provider', F.LlmProvider],
  ['gen_ai.usage.input_tokens', F.InputTokens],
  ['gen_ai.usage.prompt_tokens', F.PromptTokens],
  ['llm.token_count.prompt', F.LlmPromptTokens],
  ['gen_ai.usage.output_tokens', F.OutputTokens],
  ['gen_ai.usage.completion_tokens', F.CompletionTokens],
  ['llm.token_count.completion', F.LlmCompletionTokens],
  ['gen_ai.usage.total_tokens', F.TotalTokens],
  ['llm.token_count.total', F.TotalTokens],
  ['gen_ai.usage.cache_read_input_tokens', F.CacheRead],
  ['gen_ai.usage.cache_read.input_tokens', F.CacheRead],
  ['llm.token_count.prompt_details.cache_read', F.CacheRead],
  ['gen_ai.usage.cache_creation_input_tokens', F.CacheWrite],
  ['gen_ai.usage.cache_creation.input_tokens', F.CacheWrite],
  ['llm.token_count.prompt_details.cache_write', F.CacheWrite],
  ['gen_ai.usage.reasoning_tokens', F.Reasoning],
  ['gen_ai.usage.output_tokens_details.reasoning_tokens', F.Reasoning],
  ['gen_ai.usage.reasoning.output_tokens', F.Reasoning],
  ['llm.token_count.completion_details.reasoning', F.Reasoning],
  ['gen_ai.usage.cost', F.Cost],
  ['gen_ai.operation.name', F.Operation],
  ['user.id', F.UserId],
  ['session.id', F.SessionId],
  ['gen_ai.conversation.id', F.ConversationId],
  ['http.response.status_code', F.HttpStatus],
  ['http.status_code', F.HttpStatus],
  ['url.full', F.Url],
  ['http.url', F.Url],
  ['http.request.method', F.Method],
  ['http.method', F.Method],
  ['server.address', F.ServerAddress],
  ['gen_ai.response.id', F.ResponseId],
  ['gen_ai.response.finish_reasons', F.FinishReasons],
  ['gen_ai.input.messages', F.InputMessages],
  ['gen_ai.output.messages', F.OutputMessages],
  ['gen_ai.system_instructions', F.SystemInstructions],
  ['gen_ai.tool.definitions', F.ToolDefinitions],
]);

function text(v: AttributeValue | undefined): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

// Request parameters whose semantic-convention name differs from the provider-API name a body would use.
const PARAM_NAMES: Readonly<Record<string, string>> = { stop_sequences: 'stop', 'choice.count': 'n', encoding_formats: 'encoding_format' };

function addParam(scan: GenAiScan, name: string, v: AttributeValue): void {
  (scan.params ??= {})[Object.hasOwn(PARAM_NAMES, name) ? PARAM_NAMES[name]! : name] = v;
}

/** Records one attribute. Called for every attribute of a span, so the common miss costs one Map lookup. */
export function scanAttribute(scan: GenAiScan, key: string, v: AttributeValue): void {
  const f = EXACT.get(key);
  if (f !== undefined) {
    switch (f) {
      case F.ResponseModel:
        scan.responseModel ??= text(v);
        return;
      case F.RequestModel:
        scan.requestModel ??= text(v);
        return;
      case F.LlmModel:
        scan.llmModel ??= text(v);
        return;
      case F.ProviderName:
        scan.providerName ??= text(v);
        return;
      case F.System:
        scan.system ??= text(v);
        return;
      case F.LlmProvider:
        scan.llmProvider ??= text(v);
        return;
      case F.InputTokens:
        scan.inputTokens ??= count(v);
        return;
      case F.PromptTokens:
        scan.promptTokens ??= count(v);
        return;
      case F.LlmPromptTokens:
        scan.llmPromptTokens ??= count(v);
        return;
      case F.OutputTokens:
        scan.outputTokens ??= count(v);
        return;
      case F.CompletionTokens:
        scan.completionTokens ??= count(v);
        return;
      case F.LlmCompletionTokens:
        scan.llmCompletionTokens ??= count(v);
        return;
      case F.TotalTokens:
        scan.totalTokens ??= count(v);
        return;
      case F.CacheRead:
        scan.cacheReadTokens ??= count(v);
        return;
      case F.CacheWrite:
        scan.cacheWriteTokens ??= count(v);
        return;
      case F.Reasoning:
        scan.reasoningTokens ??= count(v);
        return;
      case F.Cost:
        scan.costUsd ??= count(v);
        return;
      case F.Operation:
        scan.operation ??= text(v);
        return;
      case F.UserId:
        scan.userId ??= text(v);
        return;
      case F.SessionId:
        scan.sessionId ??= text(v);
        return;
      case F.ConversationId:
        scan.conversationId ??= text(v);
        return;
      case F.HttpStatus:
        scan.httpStatus ??= count(v);
        return;
      case F.Url:
        scan.url ??= text(v);
        return;
      case F.Method:
        scan.method ??= text(v);
        return;
      case F.ServerAddress:
        scan.serverAddress ??= text(v);
        return;
      case F.ResponseId:
        scan.responseId ??= text(v);
        return;
      case F.FinishReasons:
        scan.finishReasons ??= v;
        return;
      case F.InputMessages:
        scan.inputMessages ??= v;
        return;
      case F.OutputMessages:
        scan.outputMessages ??= v;
        return;
      case F.SystemInstructions:
        scan.systemInstructions ??= v;
        return;
      case F.ToolDefinitions:
        scan.toolDefinitions ??= v;
        return;
    }
  }
  // Prefix families: only keys starting with "gen_ai." or "llm." can match, so test the first letters first.
  const c = key.charCodeAt(0);
  if (c === 103 /* g */ && key.startsWith('gen_ai.')) {
    if (key.startsWith('gen_ai.request.')) addParam(scan, key.slice(15), v);
    else if (key.startsWith('gen_ai.openai.request.')) addParam(scan, key.slice(22), v);
    else if (key.startsWith('gen_ai.prompt.')) (scan.prompts ??= new IndexedMessages()).add(key, 14, v, false);
    else if (key.startsWith('gen_ai.completion.')) (scan.completions ??= new IndexedMessages()).add(key, 18, v, false);
  } else if (c === 108 /* l */ && key.startsWith('llm.')) {
    if (key.startsWith('llm.input_messages.')) (scan.prompts ??= new IndexedMessages()).add(key, 19, v, true);
    else if (key.startsWith('llm.output_messages.')) (scan.completions ??= new IndexedMessages()).add(key, 20, v, true);
  }
}

const PROVIDERS = new Map<string, string>([
  ['aws.bedrock', 'bedrock'],
  ['aws_bedrock', 'bedrock'],
  ['amazon_bedrock', 'bedrock'],
  ['gcp.vertex_ai', 'vertex-ai'],
  ['vertex_ai', 'vertex-ai'],
  ['vertexai', 'vertex-ai'],
  ['gcp.gemini', 'google'],
  ['gcp.gen_ai', 'google'],
  ['gemini', 'google'],
  ['google_genai', 'google'],
  ['az.ai.openai', 'azure-openai'],
  ['azure.ai.openai', 'azure-openai'],
  ['azure_openai', 'azure-openai'],
  ['az.ai.inference', 'azure-ai'],
  ['azure.ai.inference', 'azure-ai'],
  ['mistral_ai', 'mistral-ai'],
  ['mistralai', 'mistral-ai'],
  ['xai', 'x-ai'],
  ['x_ai', 'x-ai'],
  ['together_ai', 'together-ai'],
  ['fireworks_ai', 'fireworks-ai'],
  ['perplexity', 'perplexity-ai'],
  ['ibm.watsonx.ai', 'watsonx'],
]);

/** Semantic-convention provider names -> the lowercase, dash-separated names REST logs use. */
export function normaliseProvider(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const lower = name.trim().toLowerCase();
  if (lower === '') return undefined;
  return PROVIDERS.get(lower) ?? (lower.includes('_') ? lower.replaceAll('_', '-') : lower);
}

/** Token counts as REST logs derive them (see completeUsage). */
export type ResolvedUsage = ExtractedUsage;

/**
 * Token counts with the REST logs' meaning: request tokens INCLUDE cache reads/writes and response tokens
 * INCLUDE reasoning, as the semantic conventions ask of input/output tokens. Instrumentations that report
 * Anthropic's raw input_tokens (cache excluded) are recognised by cache counts larger than the input.
 */
export function resolveUsage(s: GenAiScan): ResolvedUsage {
  let req = s.inputTokens ?? s.promptTokens ?? s.llmPromptTokens;
  let res = s.outputTokens ?? s.completionTokens ?? s.llmCompletionTokens;
  const cr = s.cacheReadTokens;
  const cw = s.cacheWriteTokens;
  const rs = s.reasoningTokens;
  const cached = (cr ?? 0) + (cw ?? 0);
  if (req !== undefined && cached > req) req += cached;
  if (res !== undefined && rs !== undefined && rs > res) res += rs;
  return completeUsage({ requestTokens: req, responseTokens: res, totalTokens: s.totalTokens, cacheReadTokens: cr, cacheWriteTokens: cw, reasoningTokens: rs });
}
