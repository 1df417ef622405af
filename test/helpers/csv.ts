/** RFC 4180 reader: quoted cells may hold commas, doubled quotes, CR and LF; records end in CRLF (or LF). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let rec: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        i++;
        continue;
      }
      cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === '') {
      quoted = true;
      i++;
      continue;
    }
    if (c === '"') throw new Error(`stray quote at ${i}`);
    if (c === ',') {
      rec.push(cell);
      cell = '';
      i++;
      continue;
    }
    if (c === '\r' && text[i + 1] === '\n') i++;
    if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i] !== '\n') throw new Error(`bare CR at ${i}`);
      rec.push(cell);
      records.push(rec);
      rec = [];
      cell = '';
      i++;
      continue;
    }
    cell += c;
    i++;
  }
  if (cell !== '' || rec.length > 0) throw new Error('unterminated record');
  return records;
}
