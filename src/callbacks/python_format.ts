/**
 * A small subset of Python's `str.format` with keyword fields, for ModelCheckpoint's paths
 * (`'ckpt-{epoch:02d}-{val_loss:.4f}'`), printing what Python prints.
 *
 * Values are Python numbers: a `bigint` is an int, a `number` a float (so `{epoch}` prints
 * "3" and `{loss}` prints "3.0", as Python does). Supported: `{{` / `}}`, `{name}` and
 * `{name:spec}` with spec `[0][width][.precision][type]`, type `d` (ints only, no precision, as
 * Python), `f`, `e`, `g` or none (Python's `str`: repr for floats; no precision then). Numbers
 * are right-aligned in `width`; `0` pads with zeros after the sign. Everything else in Python's
 * mini-language (fill, align, sign, `,`, `#`, `%`, `!r`, `a.b`, `a[0]`, positional `{}`) is
 * refused with an error, rather than silently printing something Python would not.
 *
 * Rounding is Python's: the exact binary value, rounded half to even (`0.125` → `.2f` →
 * "0.12", where JavaScript's toFixed gives "0.13"), from the value's exact decimal expansion.
 */
import { ValueError } from '../core/errors.js';
import { pythonFloat } from './csv_logger.js';

export type PyNumber = number | bigint;

interface Spec {
  zero: boolean;
  width: number;
  precision: number | null;
  type: '' | 'd' | 'f' | 'e' | 'g';
}

type Part = string | { name: string; spec: Spec; text: string };

const SPEC = /^(0?)(\d*)(?:\.(\d+))?([dfeg]?)$/;

function parseSpec(spec: string, field: string, err: (why: string) => ValueError): Spec {
  const m = SPEC.exec(spec);
  if (!m) throw err(`format spec "${spec}" of {${field}} is not supported (supported: [0][width][.precision] then d, f, e, g or nothing)`);
  const [, zero = '', width = '', precision, type = ''] = m;
  const parsed: Spec = { zero: zero === '0', width: width === '' ? 0 : Number(width), precision: precision === undefined ? null : Number(precision), type: type as Spec['type'] };
  if (parsed.precision !== null && (type === 'd' || type === '')) {
    throw err(`format spec "${spec}" of {${field}}: a precision needs type f, e or g${type === 'd' ? " (Python: precision not allowed in integer format specifier)" : ''}`);
  }
  return parsed;
}

/** Splits a template into literal text and fields; throws on anything Python would not format or hebb does not support. */
export function parseTemplate(template: string, who: string): Part[] {
  const err = (why: string): ValueError => new ValueError(`${who}: cannot format the path "${template}": ${why}`);
  const parts: Part[] = [];
  let text = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '}') {
      if (template[i + 1] !== '}') throw err(`a single "}" at position ${i} (write "}}" for a literal brace)`);
      text += '}';
      i++;
    } else if (c === '{') {
      if (template[i + 1] === '{') {
        text += '{';
        i++;
        continue;
      }
      const end = template.indexOf('}', i);
      if (end < 0) throw err(`the "{" at position ${i} is never closed`);
      const field = template.slice(i + 1, end);
      if (field.includes('{')) throw err(`nested fields ("{${field}}") are not supported`);
      const colon = field.indexOf(':');
      const name = colon < 0 ? field : field.slice(0, colon);
      if (name === '' || /^\d+$/.test(name)) throw err(`{${field}} is a positional field; name a log key, e.g. {epoch} or {val_loss:.4f}`);
      if (/[.[!]/.test(name)) throw err(`{${field}}: attribute, index and conversion fields (".", "[", "!") are not supported`);
      if (text) parts.push(text);
      text = '';
      parts.push({ name, spec: parseSpec(colon < 0 ? '' : field.slice(colon + 1), name, err), text: field });
      i = end;
    } else {
      text += c;
    }
  }
  if (text) parts.push(text);
  return parts;
}

/** The field names a template uses, in order (checks the template). */
export function templateFields(template: string, who: string): string[] {
  return parseTemplate(template, who).flatMap((p) => (typeof p === 'string' ? [] : [p.name]));
}

/** Python's `template.format(**values)` for the subset above. */
export function pyFormat(template: string, values: Readonly<Record<string, PyNumber>>, who = 'format'): string {
  let out = '';
  for (const p of parseTemplate(template, who)) {
    if (typeof p === 'string') {
      out += p;
      continue;
    }
    const v = Object.prototype.hasOwnProperty.call(values, p.name) ? values[p.name] : undefined;
    if (v === undefined) {
      throw new ValueError(`${who}: cannot format the path "${template}": {${p.text}} names "${p.name}", which is not available (available: ${Object.keys(values).join(', ')})`);
    }
    out += formatValue(v, p.spec, () => new ValueError(`${who}: cannot format the path "${template}": {${p.text}} needs an integer (Python's "d" refuses a float), received ${String(v)}`));
  }
  return out;
}

function formatValue(v: PyNumber, spec: Spec, notInt: () => ValueError): string {
  let sign = '';
  let body: string;
  if (spec.type === 'd' || (spec.type === '' && typeof v === 'bigint')) {
    if (typeof v !== 'bigint') throw notInt();
    sign = v < 0n ? '-' : '';
    body = (v < 0n ? -v : v).toString();
  } else {
    const x = Number(v);
    sign = x < 0 || Object.is(x, -0) ? '-' : '';
    const a = Math.abs(x);
    if (spec.type === '') body = pythonFloat(a);
    else if (!Number.isFinite(a)) body = Number.isNaN(a) ? 'nan' : 'inf';
    else if (spec.type === 'f') body = fixed(a, spec.precision ?? 6);
    else if (spec.type === 'e') body = exponential(a, spec.precision ?? 6);
    else body = general(a, spec.precision ?? 6);
    if (Number.isNaN(x)) sign = '';
  }
  const pad = spec.width - sign.length - body.length;
  if (pad <= 0) return sign + body;
  return spec.zero ? sign + '0'.repeat(pad) + body : ' '.repeat(pad) + sign + body;
}

/** The exact value of a finite x ≥ 0 as digits / 10^scale. */
function exactDecimal(x: number): { digits: bigint; scale: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased !== 0) mantissa |= 1n << 52n;
  const exp = (biased === 0 ? 1 : biased) - 1075; // x = mantissa · 2^exp
  if (exp >= 0) return { digits: mantissa << BigInt(exp), scale: 0 };
  return { digits: mantissa * 5n ** BigInt(-exp), scale: -exp };
}

/** round(n / 10^k), ties to even. */
function roundDiv(n: bigint, k: number): bigint {
  if (k <= 0) return n * 10n ** BigInt(-k);
  const d = 10n ** BigInt(k);
  const q = n / d;
  const r2 = (n % d) * 2n;
  return r2 > d || (r2 === d && q % 2n === 1n) ? q + 1n : q;
}

function withPoint(n: bigint, decimals: number): string {
  const s = n.toString().padStart(decimals + 1, '0');
  return decimals === 0 ? s : `${s.slice(0, s.length - decimals)}.${s.slice(s.length - decimals)}`;
}

function fixed(a: number, precision: number): string {
  const { digits, scale } = exactDecimal(a);
  return withPoint(roundDiv(digits, scale - precision), precision);
}

/** a's `precision + 1` significant digits (rounded) and its decimal exponent. */
function significant(a: number, precision: number): { digits: string; exp: number } {
  if (a === 0) return { digits: '0'.repeat(precision + 1), exp: 0 };
  const { digits, scale } = exactDecimal(a);
  const n = digits.toString().length;
  let exp = n - 1 - scale;
  let s = roundDiv(digits, n - (precision + 1)).toString();
  if (s.length > precision + 1) {
    // Rounded up to a power of ten (9.99 → 10.0): one digit more, all zeros after the 1.
    s = s.slice(0, precision + 1);
    exp += 1;
  }
  return { digits: s, exp };
}

function exponential(a: number, precision: number): string {
  const { digits, exp } = significant(a, precision);
  const mant = precision === 0 ? digits : `${digits[0]}.${digits.slice(1)}`;
  return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** Python's 'g': 'e' or 'f' by the exponent, then insignificant zeros removed. */
function general(a: number, precision: number): string {
  const p = precision === 0 ? 1 : precision;
  const { exp } = significant(a, p - 1);
  const strip = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  if (exp >= -4 && exp < p) return strip(fixed(a, p - 1 - exp));
  const e = exponential(a, p - 1);
  const at = e.indexOf('e');
  return strip(e.slice(0, at)) + e.slice(at);
}
