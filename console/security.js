// The signed-in user's second factor (docs/console.md "Second factor"): a TOTP secret set up in an
// authenticator app (its otpauth:// link, or the secret typed in), then turned on with a code the app
// shows. `ui` is app.js's toolkit, `user` the session's user, `done` called once the factor is on.
// Text reaches the page as text only.

/** The form that turns the factor on with the app's code. */
function enableForm(ui, done) {
  const { el, t, call, guarded, status } = ui;
  const code = el('input', { name: 'totp-code', inputmode: 'numeric', autocomplete: 'one-time-code',
    maxlength: 6, pattern: '[0-9]{6}', required: true });
  const form = el('form', { id: 'totp-enable', class: 'row' }, el('label', {}, t('security.code'), code),
    el('button', { class: 'primary', type: 'submit' }, t('security.enable')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      await call('POST', '/v1/console/totp/enable', { code: code.value.trim() });
      done();
      status(t('security.enabled'));
    });
  });
  return form;
}

export function securityPage(ui, user, done) {
  const { el, t, call, show, guarded } = ui;
  const title = el('h1', {}, t('security.title'));
  if (user.totp) return show(title, el('p', { id: 'totp-on' }, t('security.on')));
  const slot = el('div', { id: 'totp-setup' });
  const start = el('button', { type: 'button', on: { click: () => guarded(async () => {
    const made = await call('POST', '/v1/console/totp/setup');
    slot.replaceChildren(el('p', {}, t('security.scan')), el('p', {}, el('a', { href: made.uri }, made.uri)),
      el('p', {}, t('security.secret'), ' ', el('code', { id: 'totp-secret' }, made.secret)), enableForm(ui, done));
  }) } }, t('security.setup'));
  return show(title, el('p', {}, t('security.off')), start, slot);
}
