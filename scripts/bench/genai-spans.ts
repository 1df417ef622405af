import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

const QUESTIONS = [
  'How do I rotate an API key?',
  'Summarise the incident report from last night in three bullet points.',
  'Which model is cheapest for classification?',
  'Translate the release notes into German.',
];

/**
 * `count` realistic GenAI spans from a real SDK tracer: agent runs, each with a chat call (current
 * semantic-convention names, messages as JSON) and a tool call, as instrumented agents emit them.
 */
export function genAiSpans(count: number): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'support-agent', 'service.version': '2.4.1', 'deployment.environment.name': 'production' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('opentelemetry-instrumentation-openai', '0.48.0');
  for (let i = 0; memory.getFinishedSpans().length < count; i++) {
    const agent = tracer.startSpan('invoke_agent support', {
      kind: SpanKind.INTERNAL,
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support', 'session.id': `sess-${i % 97}` },
    });
    const ctx = trace.setSpan(context.active(), agent);
    const q = QUESTIONS[i % QUESTIONS.length]!;
    const input = 400 + (i % 300);
    const output = 120 + (i % 200);
    const chat = tracer.startSpan(
      'chat gpt-4o-mini',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
          'gen_ai.request.temperature': 0.2,
          'gen_ai.request.max_tokens': 512,
          'gen_ai.response.id': `chatcmpl-${i.toString(36)}`,
          'gen_ai.response.finish_reasons': ['stop'],
          'gen_ai.usage.input_tokens': input,
          'gen_ai.usage.output_tokens': output,
          'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'You are a helpful support agent. Be brief and cite the docs.' }]),
          'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: `${q} (ticket ${i})` }] }]),
          'gen_ai.output.messages': JSON.stringify([
            {
              role: 'assistant',
              parts: [
                {
                  type: 'text',
                  content: `Here is what to do for ticket ${i}: open Settings, choose API keys, then rotate. The old key keeps working for one hour.`,
                },
              ],
              finish_reason: 'stop',
            },
          ]),
          'server.address': 'api.openai.com',
          'user.id': `user-${i % 501}`,
        },
      },
      ctx,
    );
    chat.setStatus({ code: SpanStatusCode.OK });
    chat.end();
    const tool = tracer.startSpan(
      'execute_tool search_docs',
      {
        kind: SpanKind.INTERNAL,
        attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search_docs', 'gen_ai.tool.call.id': `call_${i}` },
      },
      ctx,
    );
    tool.end();
    agent.end();
  }
  return memory.getFinishedSpans().slice(0, count);
}
