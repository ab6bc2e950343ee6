// People's data (admin): look a user up, export everything held as a JSON file, erase after a confirmation, consent.
import { call, segment } from './api.js';
import { h, labelled, table, show } from './dom.js';

export function render(container, session) {
  const userId = h('input', { name: 'userId', required: true });
  const profile = h('section', { 'aria-label': 'Profile', 'aria-live': 'polite' });
  const confirmation = h('dialog', { 'aria-label': 'Confirm erasure' });
  const id = () => userId.value.trim();

  async function lookUp(event) {
    event?.preventDefault();
    try {
      const user = await call(`/users/${segment(id())}`);
      const known = user.interactionCount > 0 || user.lastSeen;
      const consent = h('input', { type: 'checkbox', checked: user.consent.personalization, onchange: e => setConsent(e.target) });
      show(profile,
        known
          ? table(`Profile of ${user.userId}`, ['Field', 'Value'], [
            ['Interactions', user.interactionCount], ['Top categories', user.topCategories], ['Last seen', user.lastSeen ?? '']])
          : h('p', { role: 'status' }, `Nothing is held about ${user.userId}: unknown user.`),
        h('div', { class: 'row' },
          h('label', { class: 'inline' }, consent, 'Consents to personalization'),
          h('button', { type: 'button', onclick: exportData }, 'Export data'),
          h('button', { type: 'button', class: 'danger', onclick: () => confirmation.showModal() }, 'Erase user')));
    } catch (error) { session.fail(error); }
  }

  async function setConsent(box) {
    try {
      await call(`/users/${segment(id())}/consent`, { method: 'PUT', body: { personalization: box.checked } });
    } catch (error) {
      box.checked = !box.checked;
      session.fail(error);
    }
  }

  async function exportData() {
    try {
      const data = await call(`/users/${segment(id())}/export`);
      const link = h('a', { download: `${id()}.json`, href: URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' })) });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (error) { session.fail(error); }
  }

  async function erase() {
    confirmation.close();
    try {
      await call(`/users/${segment(id())}`, { method: 'DELETE' });
      await lookUp();
    } catch (error) { session.fail(error); }
  }

  show(confirmation,
    h('p', {}, 'Erase every stored trace of this user? This cannot be undone.'),
    h('div', { class: 'row' },
      h('button', { type: 'button', class: 'danger', onclick: erase }, 'Erase for good'),
      h('button', { type: 'button', class: 'secondary', onclick: () => confirmation.close() }, 'Cancel')));
  show(container,
    h('h2', {}, 'People\'s data'),
    h('form', { class: 'row', 'aria-label': 'Look up a user', onsubmit: lookUp },
      labelled('User id', userId), h('button', { type: 'submit' }, 'Look up')),
    profile,
    confirmation);
}
