/**
 * Reading a vega-rendered SVG in tests: vega writes an aria-label on each axis ("X-axis titled
 * 'Epoch' for a log scale with values from ...") and legend ("... with 4 values: loss, ..."),
 * and one <path> per item inside each mark's <g class="mark-<type> role-mark ..."> group.
 */
export function axisLabel(svg: string, axis: 'X' | 'Y'): string {
  const m = new RegExp(`aria-label="(${axis}-axis[^"]*)"`).exec(svg);
  if (m === null) throw new Error(`no ${axis} axis in the SVG`);
  return m[1] as string;
}

export function legendLabels(svg: string): string[] {
  return [...svg.matchAll(/aria-roledescription="legend" aria-label="([^"]*)"/g)].map((m) => m[1] as string);
}

/** The number of items of each mark group of the type (`symbol`, `line`, `rect`, `text`, `rule`). */
export function markItems(svg: string, type: string): number[] {
  const out: number[] = [];
  const re = new RegExp(`<g class="mark-${type} role-mark[^"]*"[^>]*>`, 'g');
  for (const m of svg.matchAll(re)) {
    const start = (m.index ?? 0) + m[0].length;
    const end = svg.indexOf('</g>', start);
    const body = svg.slice(start, end);
    out.push((body.match(/<(path|text|line)\b/g) ?? []).length);
  }
  return out;
}

/** The texts drawn (axis labels, titles, legend labels, text marks), unescaped. */
export function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => (m[1] as string).replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"'));
}

/** PNG width and height from the IHDR chunk, after checking the 8-byte signature. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!sig.every((b, i) => bytes[i] === b)) throw new Error('not a PNG (bad signature)');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: dv.getUint32(16), height: dv.getUint32(20) };
}
