// The recovery codes' "Copy" button: copies the codes' text box to the clipboard (the page works without it: the
// box can be selected and copied by hand, and the button stays hidden without JavaScript). Bundled by ./build.ts
// into dist/console-static/copy.js (`npm run build`), served at /console/static/copy.js.
export {}; // a module: its names stay its own (the browser gets an esbuild IIFE)
const button = document.getElementById('copy-codes');
const source = document.getElementById('recovery-codes-text');
const status = document.getElementById('copy-status');

function say(text: string): void {
  if (status) status.textContent = text;
}

if (button instanceof HTMLButtonElement && source instanceof HTMLTextAreaElement) {
  button.hidden = false;
  button.addEventListener('click', () => {
    navigator.clipboard.writeText(source.value).then(
      () => say('Copied to the clipboard.'),
      () => { source.select(); say('The browser did not allow copying: the codes are selected, press Ctrl+C (or ⌘C).'); },
    );
  });
}
