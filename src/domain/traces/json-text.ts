/**
 * GenAI instrumentations send messages, system instructions and tool definitions as JSON text inside string
 * attributes. Log bodies are JSON text too, so valid JSON can be spliced in as it is: checking it with this
 * allocation-free scanner costs a fraction of JSON.parse followed by JSON.stringify of the parsed value.
 */

const MAX_DEPTH = 256;

function skipWs(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return i;
    i++;
  }
}

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

// The next character a JSON string needs a look at. Message text is long: a native regex search over it is
// several times faster than a charCodeAt loop on this runtime (test() with lastIndex allocates nothing).
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON strings escape exactly these control characters
const STRING_SPECIAL = /["\\\u0000-\u001f]/g;

/** Index after the string starting at s[i] === '"', or -1. */
function scanString(s: string, i: number): number {
  let j = i + 1;
  for (;;) {
    STRING_SPECIAL.lastIndex = j;
    if (!STRING_SPECIAL.test(s)) return -1;
    const k = STRING_SPECIAL.lastIndex - 1;
    const c = s.charCodeAt(k);
    if (c === 34 /* " */) return k + 1;
    if (c < 32) return -1;
    const e = s.charCodeAt(k + 1); // after a backslash
    if (e === 117 /* u */) {
      if (!(isHexDigit(s.charCodeAt(k + 2)) && isHexDigit(s.charCodeAt(k + 3)) && isHexDigit(s.charCodeAt(k + 4)) && isHexDigit(s.charCodeAt(k + 5))))
        return -1;
      j = k + 6;
    } else if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) j = k + 2;
    else return -1;
  }
}

function scanDigits(s: string, i: number): number {
  const start = i;
  for (let c = s.charCodeAt(i); c >= 48 && c <= 57; c = s.charCodeAt(++i));
  return i > start ? i : -1;
}

/** Index after the number starting at s[i], or -1. */
function scanNumber(s: string, i: number): number {
  if (s.charCodeAt(i) === 45 /* - */) i++;
  if (s.charCodeAt(i) === 48 /* 0 */) i++;
  else if ((i = scanDigits(s, i)) < 0) return -1;
  if (s.charCodeAt(i) === 46 /* . */ && (i = scanDigits(s, i + 1)) < 0) return -1;
  const e = s.charCodeAt(i);
  if (e === 101 || e === 69) {
    i++;
    const sign = s.charCodeAt(i);
    if (sign === 43 || sign === 45) i++;
    if ((i = scanDigits(s, i)) < 0) return -1;
  }
  return i;
}

function scanScalar(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === 34) return scanString(s, i);
  if (c === 45 || (c >= 48 && c <= 57)) return scanNumber(s, i);
  if (c === 116) return s.startsWith('true', i) ? i + 4 : -1;
  if (c === 102) return s.startsWith('false', i) ? i + 5 : -1;
  if (c === 110) return s.startsWith('null', i) ? i + 4 : -1;
  return -1;
}

/** Whether `s` is one complete JSON value (RFC 8259), nested at most 256 deep. */
export function isJsonText(s: string): boolean {
  // The open containers, innermost last: 1 for an object, 0 for an array.
  const kinds: number[] = [];
  let i = skipWs(s, 0);
  for (;;) {
    // Expecting a value.
    const c = s.charCodeAt(i);
    if (c === 123 /* { */ || c === 91 /* [ */) {
      if (kinds.length >= MAX_DEPTH) return false;
      const object = c === 123;
      kinds.push(object ? 1 : 0);
      i = skipWs(s, i + 1);
      const close = s.charCodeAt(i);
      if (close === (object ? 125 : 93)) {
        kinds.pop();
        i++;
      } else {
        if (object) {
          if (close !== 34 || (i = scanString(s, i)) < 0) return false;
          i = skipWs(s, i);
          if (s.charCodeAt(i) !== 58 /* : */) return false;
          i = skipWs(s, i + 1);
        }
        continue;
      }
    } else if ((i = scanScalar(s, i)) < 0) return false;
    // After a value: close containers, or a comma leading to the next value.
    for (;;) {
      i = skipWs(s, i);
      if (kinds.length === 0) return i === s.length;
      const d = s.charCodeAt(i);
      const object = kinds[kinds.length - 1] === 1;
      if (d === (object ? 125 : 93)) {
        kinds.pop();
        i++;
        continue;
      }
      if (d !== 44 /* , */) return false;
      i = skipWs(s, i + 1);
      if (object) {
        if (s.charCodeAt(i) !== 34 || (i = scanString(s, i)) < 0) return false;
        i = skipWs(s, i);
        if (s.charCodeAt(i) !== 58) return false;
        i = skipWs(s, i + 1);
      }
      break;
    }
  }
}

// Past this length JSON.parse (native, and then mostly scanning one long string) checks faster than the scanner.
const NATIVE_CHECK_FROM = 2048;

function isValidJson(s: string): boolean {
  if (s.length < NATIVE_CHECK_FROM) return isJsonText(s);
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

/**
 * A JSON value as text: strings holding a JSON array or object are spliced verbatim, everything else is
 * encoded. Truncated or non-JSON text (a Python repr, an SDK's length limit cutting it short) becomes a
 * JSON string, so the body stays valid JSON either way.
 */
export function jsonValueText(v: unknown): string {
  if (typeof v === 'string') {
    const c = v.charCodeAt(skipWs(v, 0));
    if ((c === 91 || c === 123) && isValidJson(v)) return v;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Whether a value carries nothing worth a body field: absent, empty text, or an empty JSON array/object. */
export function isBlank(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (typeof v === 'string') {
    const i = skipWs(v, 0);
    const c = v.charCodeAt(i);
    if (c !== 91 && c !== 123) return false;
    const j = skipWs(v, i + 1);
    return v.charCodeAt(j) === (c === 91 ? 93 : 125) && skipWs(v, j + 1) === v.length;
  }
  return Array.isArray(v) && v.length === 0;
}
