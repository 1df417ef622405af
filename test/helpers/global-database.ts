import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedFerret } from '../../src/storage/embedded/ferretdb.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

/**
 * One database server for the whole run: MONGODB_URI when set (a real MongoDB), otherwise an embedded
 * FerretDB on a fresh temporary SQLite directory. Test files isolate themselves by database name.
 */
export default async function setup(project: TestProject) {
  if (process.env.MONGODB_URI) {
    project.provide('mongoUri', process.env.MONGODB_URI);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'logport-test-'));
  const db = await startEmbeddedFerret({ handler: 'sqlite', dataDir: dir, log: (m) => console.log(`[test db] ${m}`) });
  project.provide('mongoUri', db.uri);
  return async () => {
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
