// Charts drawn as SVG by the page: horizontal grouped bars and line charts. Each chart and each bar group has an
// accessible name that says what it shows, so that the figures are there for screen readers (and for the tests).
import { s } from './dom.js';

const WIDTH = 560;

/**
 * Horizontal bars, one group per row, one bar per series; values from 0 to max.
 * rows: [{ name, values: [..], label: 'what a screen reader hears' }]
 */
export function bars(name, series, rows, max = Math.max(1e-9, ...rows.flatMap(r => r.values))) {
  const [left, barHeight, gap] = [130, 12, 10];
  const groupHeight = series.length * barHeight + gap;
  const height = rows.length * groupHeight + 24;
  // Room on the right for the longest value text.
  const scale = value => (WIDTH - left - 150) * Math.max(0, value) / max;
  return s('svg', { class: 'chart', role: 'group', 'aria-label': name, viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height },
    rows.map((row, r) => {
      const top = 12 + r * groupHeight;
      return s('g', { role: 'img', 'aria-label': row.label },
        s('text', { x: left - 8, y: top + series.length * barHeight / 2 + 4, 'text-anchor': 'end' }, truncate(row.name, 18)),
        row.values.map((value, i) => [
          s('rect', { class: `series${i}`, x: left, y: top + i * barHeight, width: scale(value), height: barHeight - 2 }),
          s('text', { x: left + scale(value) + 4, y: top + i * barHeight + barHeight - 3 }, row.texts?.[i] ?? ''),
        ]));
    }));
}

/**
 * Lines over x (the points' own x, from 0 at least), y from yMin to yMax, each point also a dot; with diagonal, the
 * line of equality. lines: [{ points: [[x, y], ...] }]
 */
export function lines(name, lines, { yMin = 0, yMax = 1, diagonal = false, xLabel = '', yLabel = '' } = {}) {
  const [left, right, top, bottom, height] = [44, 16, 12, 34, 260];
  const xs = lines.flatMap(l => l.points.map(p => p[0]));
  const [xMin, xMax] = [Math.min(0, ...xs), Math.max(1e-9, ...xs)];
  const x = value => left + (WIDTH - left - right) * (value - xMin) / (xMax - xMin || 1);
  const y = value => height - bottom - (height - top - bottom) * (value - yMin) / (yMax - yMin || 1);
  const path = points => points.map(([px, py], i) => `${i ? 'L' : 'M'}${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(' ');
  const ticks = [0, 0.25, 0.5, 0.75, 1].map(t => yMin + t * (yMax - yMin));
  return s('svg', { class: 'chart', role: 'img', 'aria-label': name, viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height },
    s('title', {}, name),
    ticks.map(tick => [
      s('line', { class: 'grid', x1: left, x2: WIDTH - right, y1: y(tick), y2: y(tick) }),
      s('text', { x: left - 6, y: y(tick) + 4, 'text-anchor': 'end' }, tickText(tick)),
    ]),
    s('line', { class: 'axis', x1: left, x2: WIDTH - right, y1: y(Math.max(0, yMin)), y2: y(Math.max(0, yMin)) }),
    s('text', { x: left, y: height - 8 }, xLabel),
    s('text', { x: WIDTH - right, y: height - 8, 'text-anchor': 'end' }, yLabel),
    diagonal && s('path', { class: 'diagonal', d: path([[xMin, yMin], [xMax, yMax]]) }),
    lines.map((line, i) => [
      s('path', { class: `line series${i}`, d: path(line.points) }),
      line.points.map(([px, py]) => s('circle', { class: `series${i}`, cx: x(px), cy: y(py), r: 3 })),
    ]));
}

const tickText = value => (Math.round(value * 100) / 100).toString();
const truncate = (text, length) => (text.length > length ? text.slice(0, length - 1) + '…' : text);
