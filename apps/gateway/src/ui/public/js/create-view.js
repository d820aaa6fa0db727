import { api, ApiError } from './api.js';
import { escapeHtml } from './format.js';

/**
 * The create form. The target filter shows, as it is typed, how many targets it matches (one
 * `GET /targets?q=…&limit=1`, whose total is the count), and the filter's error when it has one.
 */
export function showCreate({ view, user, toast }) {
  if (!user.permissions.includes('CREATE_ROLLOUT')) {
    view.innerHTML =
      '<section class="panel"><p class="error">You may not create rollouts (CREATE_ROLLOUT).</p></section>';
    return () => {};
  }
  view.innerHTML = `
    <section class="panel narrow">
      <h1>New rollout</h1>
      <form id="create-form" novalidate>
        <label>Name <input name="name" required maxlength="128" /></label>
        <label>Description <input name="description" maxlength="512" /></label>
        <label>Distribution set <span id="ds-field"><input name="distributionSetId" type="number" min="1" required /></span></label>
        <label>Target filter (RSQL) <input name="targetFilterQuery" required placeholder="controllerId==device-*" /></label>
        <p class="preview" id="filter-preview" aria-live="polite"></p>
        <div class="row">
          <label>Groups <input name="amountGroups" type="number" min="1" max="500" value="5" required /></label>
          <label>Type <select name="type"><option>forced</option><option>soft</option><option>downloadonly</option></select></label>
        </div>
        <div class="row">
          <label>Next group at success % <input name="success" type="number" min="0" max="100" value="100" /></label>
          <label>Pause at error % above <input name="error" type="number" min="0" max="100" value="50" /></label>
        </div>
        <label class="check"><input name="confirmationRequired" type="checkbox" /> Devices must confirm</label>
        <p class="error" id="create-error" role="alert"></p>
        <div class="commands"><button type="submit" class="primary" id="create-submit">Create rollout</button><a href="#/rollouts">Cancel</a></div>
      </form>
    </section>`;
  const form = view.querySelector('#create-form');
  // By name through `elements`: a form's own properties (name, …) would hide some fields.
  const field = (name) => form.elements.namedItem(name);
  const preview = view.querySelector('#filter-preview');
  let stale = false;

  // A list of sets when the user may read them; otherwise the id is typed.
  if (user.permissions.includes('READ_REPOSITORY')) {
    api('GET', '/distributionsets?limit=500&sort=id:DESC')
      .then((page) => {
        if (stale || page.content.length === 0) return;
        view.querySelector('#ds-field').innerHTML = `<select name="distributionSetId" required>${page.content
          .map((s) => `<option value="${s.id}">${escapeHtml(`${s.name} ${s.version}`)} (#${s.id})</option>`)
          .join('')}</select>`;
      })
      .catch(() => undefined);
  }

  let previewTimer;
  let previewSeq = 0;
  field('targetFilterQuery').addEventListener('input', () => {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(updatePreview, 300);
  });
  const updatePreview = async () => {
    const q = field('targetFilterQuery').value.trim();
    const seq = ++previewSeq;
    if (!q) return void (preview.textContent = '');
    if (!user.permissions.includes('READ_TARGET')) {
      preview.textContent = 'No preview: reading targets needs READ_TARGET.';
      return;
    }
    preview.textContent = 'Counting…';
    try {
      const page = await api('GET', `/targets?limit=1&q=${encodeURIComponent(q)}`);
      if (seq !== previewSeq) return;
      preview.dataset.count = String(page.total);
      preview.className = 'preview';
      preview.textContent = `${page.total} target${page.total === 1 ? '' : 's'} match`;
    } catch (error) {
      if (seq !== previewSeq) return;
      delete preview.dataset.count;
      preview.className = 'preview error';
      preview.textContent = error instanceof ApiError ? error.message : String(error);
    }
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = view.querySelector('#create-error');
    error.textContent = '';
    const body = {
      name: field('name').value.trim(),
      description: field('description').value.trim() || undefined,
      distributionSetId: Number(field('distributionSetId').value),
      targetFilterQuery: field('targetFilterQuery').value.trim(),
      amountGroups: Number(field('amountGroups').value),
      type: field('type').value,
      confirmationRequired: field('confirmationRequired').checked,
      successCondition: { condition: 'THRESHOLD', expression: field('success').value || '100' },
      successAction: { action: 'NEXTGROUP' },
      errorCondition: { condition: 'THRESHOLD', expression: field('error').value || '50' },
      errorAction: { action: 'PAUSE' },
    };
    const submit = view.querySelector('#create-submit');
    submit.disabled = true;
    try {
      const created = await api('POST', '/rollouts', body);
      toast(`Rollout ${created.id} created`);
      location.hash = `#/rollouts/${created.id}`;
    } catch (cause) {
      error.textContent = cause.message;
      submit.disabled = false;
    }
  });

  return () => {
    stale = true;
    clearTimeout(previewTimer);
  };
}
