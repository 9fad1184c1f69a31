// The sign-in form: the token goes to the server once, in a POST body, and comes back as an HttpOnly cookie
// that scripts (this one included) cannot read. The field is cleared whatever the answer.

import { byId } from './dom.js';
import { session } from './api.js';

/** @param notice a message that is news rather than a failure (such as "Signed out.") */
export function showSignIn(onSignedIn, message, notice = false) {
  byId('app').hidden = true;
  const section = byId('signin');
  section.hidden = false;
  const form = section.querySelector('form');
  const input = byId('token');
  const error = byId('signin-error');
  error.hidden = !message;
  error.textContent = message || '';
  error.classList.toggle('notice', notice);
  form.onsubmit = async (e) => {
    e.preventDefault();
    const token = input.value;
    input.value = '';
    if (!token.trim()) {
      report('Enter the admin token.');
      return;
    }
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      await session.signIn(token);
      error.hidden = true;
      section.hidden = true;
      onSignedIn();
    } catch (err) {
      report(err.status === 401 ? 'That admin token is wrong. Check PARLEY_ADMIN_TOKEN on the server.'
        : err.message);
    } finally {
      button.disabled = false;
    }
  };
  input.focus();

  function report(text) {
    error.classList.remove('notice');
    error.textContent = text;
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
}
