// The console's html`` tag: every interpolated value is escaped unless it is markup built by the tag itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { html, escapeHtml, trusted } from '../../src/console/html.js';
import { field, signinUser } from '../../src/console/pages.js';

test('values are escaped; nested html`` and lists are not escaped twice', () => {
  const evil = `"><script>alert('x')</script>&`;
  assert.equal(String(html`<p title="${evil}">${evil}</p>`),
    '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</p>');
  assert.equal(String(html`<ul>${['a<', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`), '<ul><li>a&lt;</li><li>b</li></ul>');
  assert.equal(String(html`${null}${undefined}${false}${0}`), '0');
  assert.equal(String(html`${trusted('<br>')}`), '<br>');
  assert.equal(escapeHtml('`'), '&#96;');
});

test('a page built from request values carries them escaped only', () => {
  const page = String(signinUser({ csrf: 'tok', account: '"><img src=x onerror=alert(1)>', error: '<b>no</b>' }));
  assert.ok(!page.includes('<img src=x'));
  assert.ok(page.includes('value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"'));
  assert.ok(page.includes('&lt;b&gt;no&lt;/b&gt;'));
  // Every input has its label.
  assert.match(String(field('code', 'MFA code')), /<label for="code">MFA code<\/label>\s*<input id="code" name="code"/);
});
