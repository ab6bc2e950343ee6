// Catalog: search and page through the items, an item's details and similar items, popular items by category.
import { call, query, segment } from './api.js';
import { h, labelled, table, show } from './dom.js';

const PAGE = 20;

export function render(container, session) {
  const search = h('input', { name: 'search', type: 'search' });
  const category = h('input', { name: 'category' });
  const results = h('section', { 'aria-label': 'Items' });
  const details = h('section', { 'aria-label': 'Item details' });
  const popular = h('section', { 'aria-label': 'Popular items' });
  // The 'after' of each page shown so far: the last one is the current page's.
  let pages = [null];

  async function load() {
    try {
      const after = pages[pages.length - 1];
      const filter = { search: search.value.trim(), category: category.value.trim() };
      const page = await call('/items' + query({ ...filter, after, count: PAGE }));
      const previous = h('button', { type: 'button', class: 'secondary', disabled: pages.length === 1, onclick: () => { pages.pop(); load(); } }, 'Previous page');
      const next = h('button', { type: 'button', class: 'secondary', disabled: !page.next, onclick: () => { pages.push(page.next); load(); } }, 'Next page');
      show(results,
        table(`Items, page ${pages.length}`, ['Item', 'Categories', 'Tags', 'Active', 'Interactions'],
          page.items.map(item => [
            h('button', { type: 'button', class: 'secondary', onclick: () => showItem(item.id) }, item.id),
            item.categories, item.tags, item.active ? 'yes' : 'no', item.interactionCount])),
        h('div', { class: 'row' }, previous, next));
      const popularOf = filter.category;
      const answer = await call('/popular' + query({ count: 10, category: popularOf }));
      show(popular, h('h3', {}, popularOf ? `Popular in ${popularOf}` : 'Popular items'),
        table('Popular items', ['Item', 'Score', 'Reason'], answer.items.map(item => [item.itemId, item.score, item.reason])));
    } catch (error) { session.fail(error); }
  }

  async function showItem(id) {
    try {
      const [item, similar] = await Promise.all([call(`/items/${segment(id)}`), call(`/items/${segment(id)}/similar?count=10`)]);
      show(details, h('h3', {}, `Item ${item.id}`),
        table('Details', ['Field', 'Value'], [
          ['Categories', item.categories], ['Tags', item.tags], ['Active', item.active ? 'yes' : 'no'],
          ['Interactions', item.interactionCount], ['Skills', item.skills], ['Difficulty', item.difficulty ?? '']]),
        table(`Similar to ${item.id}`, ['Item', 'Score', 'Reason'], similar.items.map(i => [i.itemId, i.score, i.reason])));
      details.focus();
    } catch (error) { session.fail(error); }
  }

  details.tabIndex = -1;
  show(container,
    h('h2', {}, 'Catalog'),
    h('form', { class: 'row', 'aria-label': 'Find items', onsubmit: e => { e.preventDefault(); pages = [null]; load(); } },
      labelled('Search items', search), labelled('Category', category), h('button', { type: 'submit' }, 'Search')),
    h('div', { class: 'panels' }, h('div', {}, results, popular), details));
  load();
}
