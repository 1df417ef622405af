import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root, whether running from src/ (tsx) or from the compiled dist/src/. */
export const REPO_ROOT = here.endsWith('/dist/src') ? resolve(here, '../..') : resolve(here, '..');
