import type { ProjectSummaryResult as ProjectSummary } from '@auxil/protocol';
import { barChart, donutChart, lineChart } from './charts.js';
import { html } from './svg.js';

/** What the page can ask of its host. */
export interface DashboardActions {
  openFile(uri: string): void;
  refresh(): void;
}

const percent = (value: number): string => `${value.toFixed(1)}%`;

/** Replaces the page's content with the summary's numbers and charts. */
export function renderSummary(root: HTMLElement, summary: ProjectSummary, actions: DashboardActions): void {
  root.replaceChildren(header(actions), tiles(summary), byType(summary), bySize(summary), hotFiles(summary, actions), trend(summary));
  root.setAttribute('aria-busy', 'false');
}

export function renderError(root: HTMLElement, message: string, actions: DashboardActions): void {
  root.replaceChildren(header(actions), html('p', 'notice error', message));
  root.setAttribute('aria-busy', 'false');
}

function header(actions: DashboardActions): HTMLElement {
  const bar = html('header', 'header');
  bar.append(html('h1', undefined, 'Project health'));
  const refresh = html('button', 'refresh', 'Refresh');
  refresh.type = 'button';
  refresh.addEventListener('click', () => actions.refresh());
  bar.append(refresh);
  return bar;
}

function section(title: string, ...content: Node[]): HTMLElement {
  const element = html('section', 'card');
  element.append(html('h2', undefined, title), ...content);
  return element;
}

function tiles(summary: ProjectSummary): HTMLElement {
  const list = html('div', 'tiles');
  const tile = (name: string, value: string, detail: string, id: string) => {
    const element = html('div', 'tile');
    element.dataset.metric = id;
    element.append(html('span', 'value', value), html('span', 'name', name), html('span', 'detail', detail));
    return element;
  };
  list.append(
    tile(
      'duplicated',
      percent(summary.duplicationPercent),
      `${summary.duplicatedLines.toLocaleString('en')} of ${summary.lines.toLocaleString('en')} lines`,
      'duplication',
    ),
    tile('clone classes', summary.cloneClasses.toLocaleString('en'), 'groups of copies', 'classes'),
    tile('files', summary.files.toLocaleString('en'), 'in the index', 'files'),
    tile('convention findings', summary.conventionFindings.toLocaleString('en'), 'deviations', 'conventions'),
  );
  return list;
}

function byType(summary: ProjectSummary): HTMLElement {
  const data = [
    { label: 'Type 1 · identical', value: summary.byType.type1, tone: 'type1' },
    { label: 'Type 2 · renamed', value: summary.byType.type2, tone: 'type2' },
    { label: 'Type 3 · near-miss', value: summary.byType.type3, tone: 'type3' },
  ];
  const legend = html('ul', 'legend');
  for (const datum of data) {
    const item = html('li', datum.tone, `${datum.label}: ${datum.value}`);
    legend.append(item);
  }
  const body = html('div', 'split');
  body.append(donutChart(data, 'Clone classes by type', String(summary.cloneClasses)), legend);
  return section('Clone classes by type', body);
}

function bySize(summary: ProjectSummary): HTMLElement {
  const data = summary.bySize.map((bucket) => ({ label: bucket.label, value: bucket.count, tone: 'size' }));
  return section('Clone classes by size', data.length ? barChart(data, 'Clone classes by size') : html('p', 'notice', 'No clone classes.'));
}

function hotFiles(summary: ProjectSummary, actions: DashboardActions): HTMLElement {
  if (summary.hotFiles.length === 0) return section('Hot files', html('p', 'notice', 'No file has duplicated lines.'));
  const uris = new Map(summary.hotFiles.map((file) => [file.file, file.uri]));
  const data = summary.hotFiles.map((file) => ({ label: file.file, value: file.duplicatedLines, tone: 'hot' }));
  const chart = barChart(data, 'Files with the most duplicated lines', (datum) => {
    const uri = uris.get(datum.label);
    if (uri) actions.openFile(uri);
  });
  return section('Hot files (duplicated lines)', chart);
}

function trend(summary: ProjectSummary): HTMLElement {
  if (summary.trend.length < 2) return section('Trend', html('p', 'notice', 'The trend appears after the second analysis.'));
  const points = summary.trend.map((point) => ({ at: new Date(point.at), value: point.duplicationPercent }));
  return section('Duplication over time', lineChart(points, 'Duplication percentage over time', '%'));
}
