// The roles' colours (data/palette.csv) and what a reader sees of them: the WCAG
// contrast of the letter on its fill, and the fills as a reader with protanopia,
// deuteranopia or tritanopia sees them (Machado, Oliveira and Fernandes 2009, severity
// 1), compared with CIEDE2000. Used by tests/palette/check.mjs and the browser tests.
import fs from 'node:fs';
import path from 'node:path';

export function readPalette(sourceDir) {
  const text = fs.readFileSync(path.join(sourceDir, 'data', 'palette.csv'), 'utf8');
  const out = new Map();
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [key, fill, ink] = line.split(',');
    if (!/^#[0-9a-f]{6}$/.test(fill) || !/^#[0-9a-f]{6}$/.test(ink)) throw new Error(`palette.csv: bad line ${line}`);
    out.set(key, { fill, ink });
  }
  return out;
}

export const rgb = hex => [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16));
// "rgb(11, 79, 138)" (a computed style) as "#0b4f8a".
export function cssHex(css) {
  const m = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(css);
  if (!m) return css;
  return '#' + m.slice(1, 4).map(x => Number(x).toString(16).padStart(2, '0')).join('');
}

const linear = c => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
const luminance = l => 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];

export function contrast(a, b) {
  const [x, y] = [luminance(rgb(a).map(linear)), luminance(rgb(b).map(linear))].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

// Machado et al. 2009, severity 1.0, applied to linear RGB.
export const SIMULATIONS = {
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
};

function simulate(l, m) {
  return m.map(row => Math.min(1, Math.max(0, row[0] * l[0] + row[1] * l[1] + row[2] * l[2])));
}

// Linear sRGB (D65) to CIELAB.
function lab(l) {
  const X = (0.4124 * l[0] + 0.3576 * l[1] + 0.1805 * l[2]) / 0.95047;
  const Y = 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
  const Z = (0.0193 * l[0] + 0.1192 * l[1] + 0.9505 * l[2]) / 1.08883;
  const f = t => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  return [116 * f(Y) - 16, 500 * (f(X) - f(Y)), 200 * (f(Y) - f(Z))];
}

// CIEDE2000 (Sharma, Wu and Dalal 2005).
export function deltaE00([L1, a1, b1], [L2, a2, b2]) {
  const rad = Math.PI / 180;
  const Cb = (Math.hypot(a1, b1) + Math.hypot(a2, b2)) / 2;
  const G = 0.5 * (1 - Math.sqrt(Cb ** 7 / (Cb ** 7 + 25 ** 7)));
  const a1p = a1 * (1 + G), a2p = a2 * (1 + G);
  const C1p = Math.hypot(a1p, b1), C2p = Math.hypot(a2p, b2);
  const hue = (b, a) => { if (a === 0 && b === 0) return 0; const x = Math.atan2(b, a) / rad; return x < 0 ? x + 360 : x; };
  const h1 = hue(b1, a1p), h2 = hue(b2, a2p);
  let dh = 0;
  if (C1p * C2p !== 0) { dh = h2 - h1; if (dh > 180) dh -= 360; else if (dh < -180) dh += 360; }
  const dL = L2 - L1, dC = C2p - C1p, dH = 2 * Math.sqrt(C1p * C2p) * Math.sin(dh / 2 * rad);
  const Lb = (L1 + L2) / 2, Cbp = (C1p + C2p) / 2;
  let hb = h1 + h2;
  if (C1p * C2p !== 0) hb = Math.abs(h1 - h2) > 180 ? (h1 + h2 < 360 ? (h1 + h2 + 360) / 2 : (h1 + h2 - 360) / 2) : (h1 + h2) / 2;
  const T = 1 - 0.17 * Math.cos((hb - 30) * rad) + 0.24 * Math.cos(2 * hb * rad) +
    0.32 * Math.cos((3 * hb + 6) * rad) - 0.20 * Math.cos((4 * hb - 63) * rad);
  const dTh = 30 * Math.exp(-(((hb - 275) / 25) ** 2));
  const RC = 2 * Math.sqrt(Cbp ** 7 / (Cbp ** 7 + 25 ** 7));
  const SL = 1 + 0.015 * (Lb - 50) ** 2 / Math.sqrt(20 + (Lb - 50) ** 2);
  const SC = 1 + 0.045 * Cbp, SH = 1 + 0.015 * Cbp * T, RT = -Math.sin(2 * dTh * rad) * RC;
  return Math.sqrt((dL / SL) ** 2 + (dC / SC) ** 2 + (dH / SH) ** 2 + RT * (dC / SC) * (dH / SH));
}

// The distance between two fills as a reader sees them: `vision` is "normal" or a key
// of SIMULATIONS.
export function distance(a, b, vision) {
  const m = SIMULATIONS[vision];
  const see = hex => { const l = rgb(hex).map(linear); return lab(m ? simulate(l, m) : l); };
  return deltaE00(see(a), see(b));
}
