import { currentUser, logIn, session } from './api.js';
import { showList } from './list-view.js';
import { showDetail } from './detail-view.js';
import { showCreate } from './create-view.js';

/**
 * The dashboard's shell: log-in, the user's permissions, and navigation by the URL fragment
 * (`#/rollouts`, `#/rollouts/42`, `#/new`), so the gateway serves a single page and the browser's
 * back button works. Each view returns a function that stops its live feed when it is left.
 */

const view = document.getElementById('view');
const liveIndicator = document.getElementById('live-indicator');
let user;
let leaveView = () => {};

export function toast(message, kind = 'info') {
  const item = document.createElement('div');
  item.className = `toast toast-${kind}`;
  item.textContent = message;
  document.getElementById('toasts').append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 8_000 : 4_000);
}

const setLive = (state) => {
  liveIndicator.textContent = state;
  liveIndicator.dataset.state = state;
};

function route() {
  leaveView();
  leaveView = () => {};
  const hash = location.hash.replace(/^#/, '') || '/rollouts';
  const [path, query = ''] = hash.split('?');
  const context = { user, view, toast, setLive, params: new URLSearchParams(query) };
  document
    .querySelectorAll('[data-nav]')
    .forEach((a) => a.classList.toggle('active', path.startsWith(`/${a.dataset.nav}`)));
  const detail = /^\/rollouts\/(\d+)$/.exec(path);
  if (detail) leaveView = showDetail(context, Number(detail[1]));
  else if (path === '/new') leaveView = showCreate(context);
  else leaveView = showList(context);
  gate(view);
}

/** Hides what needs a permission the user lacks (`data-needs="PERMISSION"`). */
function gate(root) {
  root.querySelectorAll('[data-needs]').forEach((el) => {
    el.hidden = !user?.permissions.includes(el.dataset.needs);
  });
}

function applyUser() {
  const who = document.getElementById('who');
  who.hidden = !user;
  who.textContent = user ? user.name : '';
  document.getElementById('logout').hidden = !user;
  gate(document.querySelector('.topbar'));
}

function askLogIn() {
  leaveView();
  leaveView = () => {};
  user = undefined;
  applyUser();
  view.innerHTML = '';
  const dialog = document.getElementById('login-dialog');
  if (!dialog.open) dialog.showModal();
  dialog.querySelector('input[name=user]').focus();
}

document.getElementById('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const error = document.getElementById('login-error');
  error.textContent = '';
  try {
    user = await logIn(form.elements.namedItem('user').value, form.elements.namedItem('password').value);
    form.reset();
    document.getElementById('login-dialog').close();
    applyUser();
    route();
  } catch (cause) {
    error.textContent = cause.message;
  }
});

// Escape would close the dialog and leave an empty page behind it.
document.getElementById('login-dialog').addEventListener('cancel', (event) => event.preventDefault());

document.getElementById('logout').addEventListener('click', () => session.clear());

session.onEnd(askLogIn);
window.addEventListener('hashchange', () => user && route());

(async () => {
  user = await currentUser();
  if (!user) return askLogIn();
  applyUser();
  route();
})();
