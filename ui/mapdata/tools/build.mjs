// build.mjs turns Natural Earth's 1:110m country shapes (the world-atlas
// package, public domain) into ../world.json: one SVG path per ISO 3166-1
// alpha-3 code in the Equal Earth projection.
//
//   cd ui/mapdata/tools && npm ci && node build.mjs
//
// The output is committed; CI never runs this script. Re-running it on the
// same pinned packages gives the same bytes.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { feature } from "topojson-client";
import { geoPath, geoProjection } from "d3-geo";
import countries from "i18n-iso-countries";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const topology = require("world-atlas/countries-110m.json");

// WIDTH is the viewBox width; the height follows from the projection.
const WIDTH = 1000;
// MIN_AREA drops a country's polygons smaller than this (square viewBox
// units) unless the polygon is the country's largest, so small states stay.
const MIN_AREA = 1.5;
// SKIP lists shapes left out of the map: no WSIS entry is located there and
// Antarctica alone would add a fifth to the height and a tenth to the size.
const SKIP = new Set(["ATA"]);
// NAMED maps the shapes Natural Earth gives no numeric code. Northern Cyprus
// and Somaliland are drawn as part of the UN member states ITU lists.
const NAMED = { Kosovo: "XKX", "N. Cyprus": "CYP", Somaliland: "SOM" };

// Equal Earth (Šavrič, Patterson, Jenny 2018): the raw projection of a
// unit sphere, radians in, y up. d3-geo wraps it to cut shapes at the
// antimeridian (Russia and Fiji cross it) and to flip y for the screen.
const A1 = 1.340264, A2 = -0.081106, A3 = 0.000893, A4 = 0.003796;
const M = Math.sqrt(3) / 2;
function equalEarthRaw(lam, phi) {
  const t = Math.asin(M * Math.sin(phi));
  const t2 = t * t, t6 = t2 * t2 * t2;
  const x = (lam * Math.cos(t)) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)));
  const y = t * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
  return [x, y];
}

// The projected world spans x in ±xMax; one scale maps it onto WIDTH tenths
// of a unit, so that path deltas stay exact after rounding to one decimal.
const xMax = equalEarthRaw(Math.PI, 0)[0];
const projection = geoProjection(equalEarthRaw)
  .scale((WIDTH * 10) / (2 * xMax))
  .translate([WIDTH * 5, 0]);

// projectRings projects one geometry into rings of integer tenths, with
// repeated points and each ring's closing point dropped (z closes it).
function projectRings(geometry) {
  const rings = [];
  let ring = null;
  const push = (x, y) => {
    const p = [Math.round(x), Math.round(y)];
    const last = ring[ring.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) ring.push(p);
  };
  const context = {
    moveTo(x, y) { ring = []; rings.push(ring); push(x, y); },
    lineTo(x, y) { push(x, y); },
    closePath() {
      const a = ring[0], b = ring[ring.length - 1];
      if (ring.length > 1 && a[0] === b[0] && a[1] === b[1]) ring.pop();
    },
    arc() {},
  };
  geoPath(projection, context)(geometry);
  return rings.filter((r) => r.length >= 3);
}

// moveCrimea draws Crimea, which Natural Earth's 1:110m data gives to Russia
// as a separate polygon, as part of Ukraine, as the UN does (General Assembly
// resolution 68/262).
function moveCrimea(features) {
  const rus = features.find((f) => f.id === "643");
  const ukr = features.find((f) => f.id === "804");
  const inCrimea = (poly) =>
    poly[0].every(([lon, lat]) => lon > 32 && lon < 37 && lat > 44 && lat < 46.5);
  const crimea = rus.geometry.coordinates.filter(inCrimea);
  if (crimea.length !== 1) throw new Error(`found ${crimea.length} Crimea polygons in RUS, want 1`);
  rus.geometry.coordinates = rus.geometry.coordinates.filter((p) => !inCrimea(p));
  const own = ukr.geometry.type === "Polygon" ? [ukr.geometry.coordinates] : ukr.geometry.coordinates;
  ukr.geometry = { type: "MultiPolygon", coordinates: [...own, ...crimea] };
}

// known reads the project's country table, so the script can say which map
// codes the project does not know.
function known() {
  const csv = readFileSync(join(here, "../../../search/countries.csv"), "utf8");
  const codes = new Set();
  for (const line of csv.split("\n").slice(1)) {
    const m = /^[A-Z]{2},([A-Z]{3}),/.exec(line);
    if (m) codes.add(m[1]);
  }
  return codes;
}

function iso3(f) {
  if (f.id && f.id !== "-99") {
    const code = countries.numericToAlpha3(f.id);
    if (code) return code;
  }
  return NAMED[f.properties.name];
}

function ringArea(ring) {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    a += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  }
  return Math.abs(a) / 2 / 100; // tenths² → units²
}

// fmt writes a tenths integer as a decimal with at most one fraction digit.
function fmt(v) {
  const s = (Math.abs(v) / 10).toString();
  return v < 0 ? "-" + s : s;
}

// pair joins two numbers the way SVG path grammar allows without spaces
// where a minus sign already separates them.
function pair(a, b) {
  const x = fmt(a), y = fmt(b);
  return x + (y.startsWith("-") ? "" : " ") + y;
}

// ringPath writes one closed ring: an absolute move, then relative lines.
function ringPath(ring) {
  let d = "M" + pair(ring[0][0], ring[0][1]);
  let prev = ring[0];
  let sep = "l";
  for (let i = 1; i < ring.length; i++) {
    const p = ring[i];
    const dx = p[0] - prev[0], dy = p[1] - prev[1];
    const x = fmt(dx), y = fmt(dy);
    d += (sep || (x.startsWith("-") ? "" : " ")) + x + (y.startsWith("-") ? "" : " ") + y;
    sep = "";
    prev = p;
  }
  return d + "z";
}

const features = feature(topology, topology.objects.countries).features;
moveCrimea(features);
const shapes = new Map(); // iso3 → rings
const unmatched = [];
for (const f of features) {
  const code = iso3(f);
  if (!code) {
    unmatched.push(`${f.id ?? "(no id)"} ${f.properties.name}`);
    continue;
  }
  if (SKIP.has(code)) continue;
  shapes.set(code, [...(shapes.get(code) ?? []), ...projectRings(f.geometry)]);
}

// Rings (islands, lakes) under MIN_AREA go, except each country's largest.
let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
const kept = new Map();
let dropped = 0;
for (const [code, rings] of shapes) {
  const largest = Math.max(...rings.map(ringArea));
  const keep = rings.filter((r) => {
    const a = ringArea(r);
    return a === largest || a >= MIN_AREA;
  });
  dropped += rings.length - keep.length;
  for (const ring of keep) {
    for (const [x, y] of ring) {
      minX = Math.min(minX, x); maxX = Math.max(maxX, x);
      minY = Math.min(minY, y); maxY = Math.max(maxY, y);
    }
  }
  kept.set(code, keep);
}

// Shift everything so the viewBox starts at 0 0 with a one-unit margin.
const pad = 10;
const dx = pad - minX, dy = pad - minY;
const out = {};
for (const code of [...kept.keys()].sort()) {
  out[code] = kept
    .get(code)
    .map((ring) => ringPath(ring.map(([x, y]) => [x + dx, y + dy])))
    .join("");
}
const w = Math.ceil((maxX - minX + 2 * pad) / 10);
const h = Math.ceil((maxY - minY + 2 * pad) / 10);
const json = JSON.stringify({ viewBox: `0 0 ${w} ${h}`, countries: out }) + "\n";
writeFileSync(join(here, "../world.json"), json);

const table = known();
const unknown = Object.keys(out).filter((c) => !table.has(c));
console.log(`world.json: ${Object.keys(out).length} countries, ${json.length} bytes, viewBox 0 0 ${w} ${h}`);
console.log(`dropped ${dropped} rings under ${MIN_AREA} square units`);
console.log(`unmatched shapes: ${unmatched.length ? unmatched.join("; ") : "none"}`);
console.log(`codes not in search/countries.csv: ${unknown.length ? unknown.join(" ") : "none"}`);
