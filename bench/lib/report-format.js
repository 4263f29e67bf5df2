/* Number and table formatting of the human report. */

export const fmt = (value, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const ops = (value) => (value >= 1e6 ? `${fmt(value / 1e6, 1)}M` : `${fmt(value / 1e3, 1)}k`);
const signed = (value) => `${value >= 0 ? '+' : ''}${fmt(value, 2)}`;

/** A paired delta as `+0.42 us [+0.10, +0.80]`. */
export const interval = (delta) =>
  `${signed(delta.medianUs)} us [${signed(delta.lowUs)}, ${signed(delta.highUs)}]`;

/** Columns padded to their widest cell; the first column left-aligned, the others right-aligned. */
export function table(headers, rows) {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => String(row[i]).length)),
  );
  const line = (cells) =>
    cells
      .map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i])))
      .join('  ');
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
