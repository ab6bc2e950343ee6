// Playground: act as a user and watch the very next list change, each item with its score and reason.
import { call, query, segment } from './api.js';
import { h, labelled, field, choice, table, show } from './dom.js';
import { categoriesOf } from './items.js';

const EVENT_TYPES = ['click', 'like', 'purchase', 'rating', 'answer', 'view', 'add_to_cart', 'dislike', 'skip'];
const CONTROLS = [['popularityPenalty', 'Popularity penalty'], ['explore', 'Explore'], ['diversity', 'Diversity']];

const newUserId = () => `user-${crypto.randomUUID().slice(0, 8)}`;

export function render(container, session) {
  const userId = h('input', { name: 'userId', value: newUserId(), required: true });
  const sessionId = h('input', { name: 'sessionId', placeholder: 'latest session' });
  const sliders = CONTROLS.map(([name, label]) => {
    const output = h('output', {}, '0');
    const input = h('input', { type: 'range', name, min: 0, max: 1, step: 0.05, value: 0 });
    input.addEventListener('input', () => { output.value = input.value; });
    input.addEventListener('change', refresh);
    return { name, label, input, element: labelled(label, input, output) };
  });
  const list = h('section', { 'aria-label': 'Next recommendations', 'aria-live': 'polite' });
  const items = h('select', { name: 'itemId' });
  const search = h('input', { name: 'search', type: 'search', placeholder: 'part of an item id' });
  const type = choice('Event type', { name: 'type' }, EVENT_TYPES);
  const value = field('Value (rating 0.5-5, answer 0-1)', { name: 'value', type: 'number', step: 'any', min: 0, max: 5 });
  const sent = h('p', { role: 'status', class: 'muted' });

  async function loadItems() {
    const page = await call('/items' + query({ count: 100, search: search.value.trim() }));
    show(items, page.items.map(item => h('option', { value: item.id }, `${item.id} (${item.categories.join(', ') || 'no category'})`)));
  }

  async function refresh() {
    try {
      const answer = await call(`/users/${segment(userId.value.trim())}/recommendations` + query({
        count: 10,
        sessionId: sessionId.value.trim(),
        ...Object.fromEntries(sliders.map(slider => [slider.name, slider.input.value])),
      }));
      const categories = await categoriesOf(answer.items.map(item => item.itemId));
      const controls = sliders.map(slider => `${slider.label.toLowerCase()} ${slider.input.value}`);
      show(list,
        table(`Next recommendations for ${answer.userId}`, ['Rank', 'Item', 'Categories', 'Score', 'Reason'],
          answer.items.map((item, i) => [i + 1, item.itemId, categories.get(item.itemId) ?? [], item.score, item.reason])),
        h('p', { class: 'muted' }, `Listed with ${controls.join(', ')}.`));
    } catch (error) { session.fail(error); }
  }

  async function send(event) {
    event.preventDefault();
    const body = { userId: userId.value.trim(), itemId: items.value, type: type.querySelector('select').value };
    if (sessionId.value.trim()) body.sessionId = sessionId.value.trim();
    const given = value.querySelector('input').value;
    if (given !== '') body.value = Number(given);
    try {
      await call('/events', { method: 'POST', body: [body] });
      sent.textContent = `Sent: ${body.userId} ${body.type} ${body.itemId}`;
      await refresh();
    } catch (error) { session.fail(error); }
  }

  search.addEventListener('change', () => loadItems().catch(session.fail));
  const canSend = session.can('ingest');
  show(container,
    h('h2', {}, 'Playground'),
    h('form', { class: 'row', 'aria-label': 'User', onsubmit: e => { e.preventDefault(); refresh(); } },
      labelled('User id', userId),
      h('button', { type: 'button', class: 'secondary', onclick: () => { userId.value = newUserId(); refresh(); } }, 'New user'),
      labelled('Session id', sessionId),
      h('button', { type: 'submit' }, 'Show recommendations')),
    h('div', { class: 'row', role: 'group', 'aria-label': 'Exposure controls' }, sliders.map(slider => slider.element)),
    canSend
      ? h('form', { class: 'row', 'aria-label': 'Send an event', onsubmit: send },
        labelled('Find items', search), labelled('Item', items), type, value,
        h('button', { type: 'submit' }, 'Send event'))
      : h('p', { class: 'muted' }, 'Sending events needs an ingest or admin key.'),
    sent,
    list);
  if (canSend) loadItems().catch(session.fail);
  refresh();
}
