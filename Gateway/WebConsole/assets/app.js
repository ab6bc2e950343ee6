// Sign-in, the role's tabs and the page of the current hash. Nothing runs until someone signs in: no stream, no polling.
import { call, savedKey, saveKey, forgetKey } from './api.js';
import { show } from './dom.js';
import * as playground from './playground.js';
import * as catalog from './catalog.js';
import * as oversight from './oversight.js';
import * as learner from './learner.js';
import * as people from './people.js';
import * as cluster from './cluster.js';

const pages = { playground, catalog, oversight, learner, people, cluster };
const ROLES = ['read', 'ingest', 'admin'];
const $ = id => document.getElementById(id);

/** What the signed-in key may do: each role includes the ones before it. */
let session = null;

async function signIn(key) {
  $('sign-in-status').textContent = 'Signing in…';
  try {
    const { role } = await call('/whoami', { key });
    saveKey(key);
    session = { role, can: needed => ROLES.indexOf(role) >= ROLES.indexOf(needed) };
    $('sign-in').hidden = true;
    $('signed-in').hidden = false;
    $('role').textContent = `Signed in with an API key of role ${role}`;
    for (const link of $('tabs').querySelectorAll('a')) link.hidden = !session.can(link.dataset.role);
    $('tabs').hidden = false;
    route();
  } catch (error) {
    forgetKey();
    $('sign-in-status').textContent = error.status === 401 ? 'This API key is not known.' : `Sign-in failed: ${error.message}`;
  }
}

function signOut() {
  forgetKey();
  session = null;
  $('tabs').hidden = true;
  $('signed-in').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-status').textContent = '';
  show($('page'));
  $('api-key').value = '';
  $('api-key').focus();
}

/** Shows the page of the hash, or the first one the role may see. */
function route() {
  if (!session) return;
  const links = [...$('tabs').querySelectorAll('a')].filter(link => !link.hidden);
  const name = links.some(link => link.hash === location.hash) ? location.hash.slice(1) : links[0].hash.slice(1);
  for (const link of links) {
    if (link.hash === '#' + name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  $('error').textContent = '';
  const container = $('page');
  show(container);
  pages[name].render(container, { ...session, fail: error => { $('error').textContent = error.message; } });
}

$('sign-in').addEventListener('submit', event => {
  event.preventDefault();
  signIn($('api-key').value.trim());
});
$('sign-out').addEventListener('click', signOut);
window.addEventListener('hashchange', () => {
  route();
  $('page').focus();
});
window.addEventListener('unhandledrejection', event => { $('error').textContent = event.reason?.message ?? String(event.reason); });

if (savedKey()) signIn(savedKey());
else $('api-key').focus();
