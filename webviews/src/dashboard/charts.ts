import { svg } from './svg.js';

/** One bar or slice: a label, a value and the CSS class that colours it (theme colours live in the stylesheet). */
export interface Datum {
  readonly label: string;
  readonly value: number;
  readonly tone?: string;
}

const format = (value: number): string => (Number.isInteger(value) ? value.toLocaleString('en') : value.toFixed(1));

/**
 * Horizontal bars, one row per datum, scaled to the largest value. Rows are SVG groups with a title,
 * so screen readers and hover tooltips both get the exact number.
 */
export function barChart(data: readonly Datum[], name: string, onClick?: (datum: Datum) => void): SVGSVGElement {
  const row = 26;
  const labelWidth = 210;
  const barWidth = 260;
  const chart = svg('svg', {
    viewBox: `0 0 ${labelWidth + barWidth + 60} ${Math.max(row, data.length * row)}`,
    role: 'img',
    'aria-label': name,
    class: 'chart bars',
  });
  const max = Math.max(1, ...data.map((datum) => datum.value));
  data.forEach((datum, index) => {
    const y = index * row;
    const group = svg('g', { class: `bar ${datum.tone ?? ''}`, 'data-label': datum.label });
    group.append(svg('title', {}, `${datum.label}: ${format(datum.value)}`));
    group.append(svg('text', { x: labelWidth - 8, y: y + 17, 'text-anchor': 'end', class: 'label' }, truncate(datum.label, 30)));
    group.append(svg('rect', { x: labelWidth, y: y + 5, height: row - 10, width: Math.max(2, (datum.value / max) * barWidth), rx: 2 }));
    group.append(svg('text', { x: labelWidth + (datum.value / max) * barWidth + 6, y: y + 17, class: 'value' }, format(datum.value)));
    if (onClick) {
      group.setAttribute('tabindex', '0');
      group.setAttribute('role', 'link');
      group.addEventListener('click', () => onClick(datum));
      group.addEventListener('keydown', (event) => event.key === 'Enter' && onClick(datum));
    }
    chart.append(group);
  });
  return chart;
}

/** A ring divided by share, with the total in the middle. */
export function donutChart(data: readonly Datum[], name: string, centre: string): SVGSVGElement {
  const radius = 60;
  const circumference = 2 * Math.PI * radius;
  const chart = svg('svg', { viewBox: '0 0 160 160', role: 'img', 'aria-label': name, class: 'chart donut' });
  const total = data.reduce((sum, datum) => sum + datum.value, 0);
  chart.append(svg('circle', { cx: 80, cy: 80, r: radius, class: 'track' }));
  let offset = 0;
  for (const datum of data) {
    if (total === 0 || datum.value === 0) continue;
    const length = (datum.value / total) * circumference;
    const slice = svg('circle', {
      cx: 80,
      cy: 80,
      r: radius,
      class: `slice ${datum.tone ?? ''}`,
      'stroke-dasharray': `${length} ${circumference - length}`,
      'stroke-dashoffset': -offset,
      transform: 'rotate(-90 80 80)',
    });
    slice.append(svg('title', {}, `${datum.label}: ${format(datum.value)}`));
    chart.append(slice);
    offset += length;
  }
  chart.append(svg('text', { x: 80, y: 86, 'text-anchor': 'middle', class: 'centre' }, centre));
  return chart;
}

/** A line over time with a dot per point; the y axis starts at zero so small changes are not exaggerated. */
export function lineChart(points: readonly { at: Date; value: number }[], name: string, unit: string): SVGSVGElement {
  const width = 520;
  const height = 180;
  const pad = { left: 44, right: 12, top: 12, bottom: 28 };
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': name, class: 'chart line' });
  const times = points.map((point) => point.at.getTime());
  const first = Math.min(...times);
  const span = Math.max(1, Math.max(...times) - first);
  const max = Math.max(1, ...points.map((point) => point.value)) * 1.1;
  const x = (time: number) => pad.left + ((time - first) / span) * (width - pad.left - pad.right);
  const y = (value: number) => height - pad.bottom - (value / max) * (height - pad.top - pad.bottom);
  for (const tick of [0, max / 2, max]) {
    chart.append(svg('line', { x1: pad.left, x2: width - pad.right, y1: y(tick), y2: y(tick), class: 'grid' }));
    chart.append(
      svg('text', { x: pad.left - 6, y: y(tick) + 4, 'text-anchor': 'end', class: 'axis' }, `${format(Math.round(tick * 10) / 10)}${unit}`),
    );
  }
  const path = points
    .map((point, index) => `${index === 0 ? 'M' : 'L'}${x(point.at.getTime()).toFixed(1)},${y(point.value).toFixed(1)}`)
    .join(' ');
  chart.append(svg('path', { d: path, class: 'trend' }));
  for (const point of points) {
    const dot = svg('circle', { cx: x(point.at.getTime()), cy: y(point.value), r: 3.5, class: 'point' });
    dot.append(svg('title', {}, `${point.at.toLocaleString('en')}: ${format(point.value)}${unit}`));
    chart.append(dot);
  }
  const label = (time: number, anchor: string) =>
    svg(
      'text',
      { x: x(time), y: height - 8, 'text-anchor': anchor, class: 'axis' },
      new Date(time).toLocaleDateString('en', { month: 'short', day: 'numeric' }),
    );
  chart.append(label(first, 'start'), label(first + span, 'end'));
  return chart;
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `…${text.slice(text.length - length + 1)}`;
}
