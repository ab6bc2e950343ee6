// Oversight: exposure over the catalog (coverage, Gini, popularity bias over time, the Lorenz curve, categories'
// exposure against their catalog share) and the effect of the exposure controls on the same users, side by side.
import { call, query, segment } from './api.js';
import { h, labelled, table, show, percent, format } from './dom.js';
import { bars, lines } from './charts.js';

const HISTORY = 'personalization.oversightHistory';
const HISTORY_LENGTH = 50;

/** The figures of each refresh in this tab, for the over-time chart. */
function remember(report) {
  const history = JSON.parse(sessionStorage.getItem(HISTORY) ?? '[]');
  history.push({ at: report.window.to, coverage: report.coverage, gini: report.giniExposure, bias: report.popularityBias });
  const kept = history.slice(-HISTORY_LENGTH);
  sessionStorage.setItem(HISTORY, JSON.stringify(kept));
  return kept;
}

export function render(container, session) {
  const figures = h('section', { 'aria-label': 'Exposure figures' });
  const comparison = h('section', { 'aria-label': 'Controls compared' });

  async function refresh() {
    try {
      const report = await call('/admin/oversight');
      const history = remember(report);
      const steps = report.lorenz.length - 1;
      const half = report.lorenz[Math.round(steps / 2)];
      const categories = Object.entries(report.categoryExposure).sort((a, b) => b[1].exposureShare - a[1].exposureShare);
      show(figures,
        h('ul', { class: 'figures' },
          h('li', {}, 'Coverage', h('strong', {}, percent(report.coverage))),
          h('li', {}, 'Exposure Gini', h('strong', {}, format(report.giniExposure))),
          h('li', {}, 'Popularity bias', h('strong', {}, format(report.popularityBias))),
          h('li', {}, 'Served lists', h('strong', {}, report.window.servedLists)),
          h('li', {}, 'Exposures', h('strong', {}, report.window.exposures))),
        h('p', { class: 'muted' }, `Window ${new Date(report.window.from).toLocaleString()} to ${new Date(report.window.to).toLocaleString()}.`),
        h('div', { class: 'panels' },
          h('div', {}, h('h3', {}, 'Over time (each refresh)'),
            legend(['Coverage', 'Exposure Gini', 'Popularity bias']),
            lines(`Coverage, exposure Gini and popularity bias over ${history.length} refreshes`,
              ['coverage', 'gini', 'bias'].map(key => ({ points: history.map((point, i) => [i + 1, point[key]]) })),
              { yMin: -1, xLabel: 'refresh (popularity bias runs from -1 to 1)', yLabel: '' })),
          h('div', {}, h('h3', {}, 'Lorenz curve of exposure'),
            lines(`Lorenz curve of exposure: the least exposed half of the catalog gets ${percent(half)} of exposures`,
              [{ points: report.lorenz.map((share, i) => [i / steps, share]) }],
              { diagonal: true, xLabel: 'share of the catalog, least exposed first', yLabel: 'share of exposures' }))),
        h('h3', {}, 'Exposure share against catalog share, by category'),
        legend(['Exposure share', 'Catalog share']),
        bars('Exposure by category', ['exposure', 'catalog'], categories.map(([name, c]) => ({
          name,
          values: [c.exposureShare, c.catalogShare],
          texts: [percent(c.exposureShare), percent(c.catalogShare)],
          label: `${name}: exposure ${percent(c.exposureShare)}, catalog ${percent(c.catalogShare)}`,
        })), 1));
    } catch (error) { session.fail(error); }
  }

  const users = h('input', { name: 'users', placeholder: 'ana, ben' });
  const penalty = h('input', { name: 'penalty', type: 'number', min: 0, max: 1, step: 0.05, value: 0.5 });
  const explore = h('input', { name: 'explore', type: 'number', min: 0, max: 1, step: 0.05, value: 0.2 });
  const diversity = h('input', { name: 'diversity', type: 'number', min: 0, max: 1, step: 0.05, value: 0.3 });

  async function compare(event) {
    event.preventDefault();
    const ids = users.value.split(',').map(id => id.trim()).filter(Boolean);
    const settings = [
      ['No controls', { popularityPenalty: 0, explore: 0, diversity: 0 }],
      ['With controls', { popularityPenalty: penalty.value, explore: explore.value, diversity: diversity.value }],
    ];
    try {
      const columns = await Promise.all(settings.map(async ([name, controls]) => {
        const lists = await Promise.all(ids.map(id => call(`/users/${segment(id)}/recommendations` + query({ count: 10, ...controls }))));
        const distinct = new Set(lists.flatMap(list => list.items.map(item => item.itemId))).size;
        return h('div', {}, h('h3', {}, name),
          h('p', { class: 'muted' }, `${distinct} distinct items in ${lists.length} lists`),
          lists.map(list => table(list.userId, ['Item', 'Reason'], list.items.map(item => [item.itemId, item.reason]))));
      }));
      show(comparison, h('div', { class: 'panels' }, columns));
    } catch (error) { session.fail(error); }
  }

  show(container,
    h('h2', {}, 'Oversight'),
    h('button', { type: 'button', onclick: refresh }, 'Refresh figures'),
    figures,
    h('h2', {}, 'Effect of the controls'),
    h('p', { class: 'muted' }, 'The same users\' lists without and with the exposure controls (these lists count as served).'),
    h('form', { class: 'row', 'aria-label': 'Compare controls', onsubmit: compare },
      labelled('Users (comma-separated ids)', users),
      labelled('Popularity penalty', penalty), labelled('Explore', explore), labelled('Diversity', diversity),
      h('button', { type: 'submit' }, 'Compare')),
    comparison);
  refresh();
}

const legend = names => h('p', { class: 'legend' }, names.map((name, i) => h('span', {}, h('span', { class: `swatch series${i}` }), name)));
