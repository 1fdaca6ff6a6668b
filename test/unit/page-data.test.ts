/**
 * The JSON data block the gateway puts in the donor page (gateway/web/html.ts jsonScript): text a
 * streamer or donor controls can neither end the element nor open a comment, and the page reads
 * back exactly the value written.
 */
import { expect } from 'chai';
import { jsonScript } from '../../gateway/web/html.js';

describe('jsonScript (page data block)', () => {
  const hostile = {
    bio: '</script><script>window.__pwned=1</script>',
    comment: '<!-- <script> --> </SCRIPT >',
    amp: 'Tom & Jerry &lt;',
    separators: 'line\u2028para\u2029end',
    nested: [{ title: '</script' }],
  };

  it('writes no "<", ">" or "&" inside the element, so nothing in the data can end it', () => {
    const html = jsonScript('ms-page-data', hostile);
    const open = '<script type="application/json" id="ms-page-data">';
    expect(html.startsWith(open)).to.equal(true);
    expect(html.endsWith('</script>')).to.equal(true);
    const inner = html.slice(open.length, -'</script>'.length);
    expect(inner).to.not.match(/[<>&\u2028\u2029]/);
  });

  it('reads back as the very value', () => {
    const html = jsonScript('ms-page-data', hostile);
    const inner = html.slice(html.indexOf('>') + 1, html.lastIndexOf('</script>'));
    expect(JSON.parse(inner)).to.deep.equal(hostile);
  });
});
