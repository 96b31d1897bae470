// The console's one browser island: runs the WebAuthn ceremony the page describes (#webauthn-options: the mode and
// the server's options) with @simplewebauthn/browser when the user presses the button, then posts the response
// in the page's form (with its CSRF token), so the server verifies it. Bundled by ./build.ts into
// dist/console-static/webauthn.js (`npm run build`), served at /console/static/webauthn.js.
import { browserSupportsWebAuthn, startAuthentication, startRegistration } from '@simplewebauthn/browser';

const holder = document.getElementById('webauthn-options');
const button = document.getElementById('webauthn-start');
const field = document.getElementById('webauthn-response');
const status = document.getElementById('webauthn-status');

function say(text: string): void {
  if (status) status.textContent = text;
}

if (holder && button instanceof HTMLButtonElement && field instanceof HTMLInputElement && field.form) {
  const form = field.form;
  const mode = holder.dataset['mode'];
  const options: unknown = JSON.parse(holder.dataset['options'] ?? '{}');
  if (!browserSupportsWebAuthn()) {
    say('This browser does not support passkeys or security keys (WebAuthn).');
  } else {
    button.disabled = false;
    button.addEventListener('click', async () => {
      button.disabled = true;
      say(mode === 'register' ? 'Follow your browser: touch your security key or confirm the passkey.' : 'Touch your security key or confirm your passkey.');
      try {
        // The options come from this page's server (the library checks their shape as it uses them).
        const response = mode === 'register'
          ? await startRegistration({ optionsJSON: options as Parameters<typeof startRegistration>[0]['optionsJSON'] })
          : await startAuthentication({ optionsJSON: options as Parameters<typeof startAuthentication>[0]['optionsJSON'] });
        field.value = JSON.stringify(response);
        say('Checking…');
        form.submit();
      } catch (e) {
        const name = e instanceof Error ? e.name : 'Error';
        say(`The passkey or security key did not answer (${name}). Try again.`);
        button.disabled = false;
      }
    });
  }
}
