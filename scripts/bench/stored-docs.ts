import { BSON } from 'mongodb';
import type { LogRecord } from '../../src/domain/logs/log-model.js';
import { toLogDoc } from '../../src/storage/mongo/log-document.js';
import { splitLogDoc } from '../../src/storage/mongo/segments/segment-docs.js';

/** BSON bytes of what the segment writer stores for a record (its list and body documents), as the probes' sink. */
export function storedBytes(r: LogRecord): number {
  const { list, body } = splitLogDoc(toLogDoc(r));
  return BSON.serialize(list, { ignoreUndefined: true }).length + BSON.serialize(body).length;
}
