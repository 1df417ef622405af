import type { CodegenConfig } from '@graphql-codegen/cli';

/** Resolver types are generated from the schema files; `npm run codegen:check` fails CI when they are stale. */
const config: CodegenConfig = {
  schema: 'schema/*.graphql',
  generates: {
    'src/transports/graphql/generated/resolvers-types.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        contextType: '../context.js#GraphQLContext',
        useTypeImports: true,
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        scalars: { DateTime: 'Date | string', JSON: 'unknown' },
        // Resolvers return domain views; nested fields (children, downloadUrl) are resolved from them.
        mappers: {
          Log: '../../log-view.js#LogView',
          Feedback: '../../feedback-view.js#FeedbackView',
          Analytics: '../../../domain/analytics/analytics-service.js#AnalyticsInput',
          LogExport: '../../../domain/exports/export-model.js#LogExport as DomainLogExport',
        },
      },
    },
  },
};

export default config;
