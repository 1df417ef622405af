/** Builds (or finds in .cache/) the embedded FerretDB launcher and prints its path: `npm run db:build`. */
import { ensureFerretBinary } from '../src/storage/embedded/ferretdb.js';

console.log(ensureFerretBinary((msg) => console.error(msg)));
