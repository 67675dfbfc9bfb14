/** The node table's columns, in order; the ones a narrow table drops, in the order it drops them. */
export const COLUMN_KEYS = ['id', 'hostname', 'tailscale_ip', 'role', 'tags', 'state', 'latency', 'checked', 'uptime'] as const;
export type ColumnKey = (typeof COLUMN_KEYS)[number];

/** Most valuable first: a narrower table shows a shorter prefix of this (the id and state always). */
export const VALUE_ORDER: ColumnKey[] = ['id', 'state', 'latency', 'tailscale_ip', 'uptime', 'checked', 'hostname', 'role', 'tags'];

/** Columns whose content is shown whole get a measured width; the others share what is left, down to these minimums (or their heading's width). */
export const FLEX_MIN: Partial<Record<ColumnKey, number>> = { hostname: 110, role: 70, tags: 90, uptime: 84 };

export type ColumnWidths = Partial<Record<ColumnKey, number>>;

/**
 * Which columns to hide so that the rest fit `available` pixels: measured columns (id, address,
 * state, latency, last check) keep their whole width, flexible ones their minimum. Columns are taken
 * most valuable first, each one that still fits (so a phone that cannot show the address still
 * shows the uptime); the id and state always.
 */
export function hiddenColumns(measured: ColumnWidths, available: number): ColumnKey[] {
  let used = 0;
  const hidden: ColumnKey[] = [];
  for (const [i, key] of VALUE_ORDER.entries()) {
    const width = measured[key] ?? FLEX_MIN[key] ?? 0;
    if (i >= 2 && used + width > available) hidden.push(key);
    else used += width;
  }
  return hidden;
}

const CELL_PADDING = 16 + 2; // .cell's padding, and a pixel each side for rounding
let canvas: HTMLCanvasElement | null = null;

/** The width of each text in one font, as the browser draws it (a canvas: no layout of the page). */
export function textWidth(texts: string[], font: string): number {
  canvas ??= document.createElement('canvas');
  const context = canvas.getContext('2d');
  if (!context) return texts.reduce((max, s) => Math.max(max, s.length * 8), 0);
  context.font = font;
  return texts.reduce((max, s) => Math.max(max, context.measureText(s).width), 0);
}

/** The whole width of a cell holding the widest of these texts (and of its heading). */
export function cellWidth(texts: string[], font: string, heading: { text: string; font: string }, extra = 0): number {
  return Math.ceil(Math.max(textWidth(texts, font) + extra, textWidth([heading.text], heading.font)) + CELL_PADDING);
}
