import { serialize } from 'node:v8';
import type { LogRecord } from '../../src/domain/logs/log-model.js';
import { toLogDoc } from '../../src/storage/mongo/log-document.js';
import { splitLogDoc } from '../../src/storage/mongo/segments/segment-docs.js';
import { rowText } from '../../src/storage/mongo/segments/segment-rows.js';

/**
 * Bytes of what the segment writer encodes for a record, as the probes' sink: its list row's JSON text and its body
 * in V8's serialization (what list and body batches hold, before compression).
 */
export function storedBytes(r: LogRecord): number {
  const { list, body } = splitLogDoc(toLogDoc(r));
  return Buffer.byteLength(rowText(list)) + serialize(body).length;
}
