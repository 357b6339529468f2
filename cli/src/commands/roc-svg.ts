/**
 * Draws ROC curves as a standalone SVG: FAR on a logarithmic x axis
 * (1e-5 … 1), TAR on a linear y axis, one polyline per curve, the usual
 * FAR checkpoints as dashed verticals and an optional operating point.
 * Pure string building, no plotting library.
 */
import type { RocPoint } from "@kiosk/edge-server";

/** One curve to draw. */
export interface RocCurve {
  readonly label: string;
  readonly points: readonly RocPoint[];
}

/** Options of {@linkcode rocSvg}. */
export interface RocSvgOptions {
  readonly title: string;
  /** A point to mark, such as the operating threshold's FAR and TAR. */
  readonly marker?: { readonly far: number; readonly tar: number; readonly label: string };
}

const WIDTH = 720;
const HEIGHT = 480;
const MARGIN = { left: 64, right: 24, top: 40, bottom: 56 } as const;
const MIN_DECADE = -5;
const COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"] as const;

function x(far: number): number {
  const decade = Math.max(MIN_DECADE, Math.log10(Math.max(far, 10 ** MIN_DECADE)));
  return MARGIN.left + ((decade - MIN_DECADE) / -MIN_DECADE) * (WIDTH - MARGIN.left - MARGIN.right);
}

function y(tar: number): number {
  return HEIGHT - MARGIN.bottom - tar * (HEIGHT - MARGIN.top - MARGIN.bottom);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

// A ROC from tens of thousands of pairs has as many steps. In pixel space,
// only the corners of the staircase matter: drop points closer than half a
// pixel to the last kept one, and the middle of straight horizontal or
// vertical runs.
function thin(points: readonly RocPoint[]): [number, number][] {
  const pixels: [number, number][] = [];
  for (const p of points) {
    const px = Math.round(x(p.far) * 2) / 2;
    const py = Math.round(y(p.tar) * 2) / 2;
    const last = pixels.at(-1);
    if (!last || last[0] !== px || last[1] !== py) pixels.push([px, py]);
  }
  return pixels.filter((p, i) => {
    const prev = pixels[i - 1];
    const next = pixels[i + 1];
    if (!prev || !next) return true;
    const horizontal = prev[1] === p[1] && p[1] === next[1];
    const vertical = prev[0] === p[0] && p[0] === next[0];
    return !horizontal && !vertical;
  });
}

/** The SVG document of `curves`. */
export function rocSvg(curves: readonly RocCurve[], options: RocSvgOptions): string {
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`);
  parts.push(`<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="14">${escapeXml(options.title)}</text>`);
  // Grid: decades on x, tenths on y.
  for (let d = MIN_DECADE; d <= 0; d++) {
    const gx = x(10 ** d).toFixed(1);
    parts.push(`<line x1="${gx}" y1="${y(0)}" x2="${gx}" y2="${y(1)}" stroke="#ddd"/>`);
    parts.push(`<text x="${gx}" y="${y(0) + 18}" text-anchor="middle">1e${d}</text>`);
  }
  for (let t = 0; t <= 10; t++) {
    const gy = y(t / 10).toFixed(1);
    parts.push(`<line x1="${x(1e-5)}" y1="${gy}" x2="${x(1)}" y2="${gy}" stroke="#eee"/>`);
    parts.push(`<text x="${MARGIN.left - 8}" y="${gy}" text-anchor="end" dominant-baseline="middle">${(t / 10).toFixed(1)}</text>`);
  }
  for (const far of [1e-2, 1e-3, 1e-4]) {
    const gx = x(far).toFixed(1);
    parts.push(`<line x1="${gx}" y1="${y(0)}" x2="${gx}" y2="${y(1)}" stroke="#999" stroke-dasharray="4 3"/>`);
  }
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${WIDTH - MARGIN.left - MARGIN.right}" height="${HEIGHT - MARGIN.top - MARGIN.bottom}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${(MARGIN.left + WIDTH - MARGIN.right) / 2}" y="${HEIGHT - 14}" text-anchor="middle">false accept rate (FAR, log scale)</text>`);
  parts.push(`<text x="16" y="${(MARGIN.top + HEIGHT - MARGIN.bottom) / 2}" text-anchor="middle" transform="rotate(-90 16 ${(MARGIN.top + HEIGHT - MARGIN.bottom) / 2})">true accept rate (TAR)</text>`);
  curves.forEach((curve, i) => {
    const colour = COLOURS[i % COLOURS.length] as string;
    const coords = thin(curve.points).map(([px, py]) => `${px},${py}`);
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${coords.join(" ")}"/>`);
    // Legend in the lower right, where ROC curves rarely run.
    const ly = HEIGHT - MARGIN.bottom - 20 - (curves.length - 1 - i) * 18;
    const lx = MARGIN.left + 250;
    parts.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${colour}" stroke-width="2"/>`);
    parts.push(`<text x="${lx + 30}" y="${ly}" dominant-baseline="middle">${escapeXml(curve.label)}</text>`);
  });
  if (options.marker) {
    const mx = x(options.marker.far).toFixed(1);
    const my = y(options.marker.tar).toFixed(1);
    parts.push(`<circle cx="${mx}" cy="${my}" r="5" fill="none" stroke="#000" stroke-width="2"/>`);
    parts.push(`<text x="${Number(mx) + 8}" y="${Number(my) + 16}">${escapeXml(options.marker.label)}</text>`);
  }
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
