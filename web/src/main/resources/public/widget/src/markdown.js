// Markdown for replies. A reply is untrusted text (a model can be talked into emitting anything), so it goes
// through two independent gates: raw HTML in the Markdown is shown as text, never parsed, and whatever HTML
// the parser produced is then filtered by DOMPurify against a short list of tags, attributes and URL schemes.

import { Marked } from 'marked';
import DOMPurify from 'dompurify';

const SAFE_TAGS = ['p', 'br', 'hr', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li',
  'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'img', 'input', 'span'];
const SAFE_ATTRS = ['href', 'title', 'src', 'alt', 'start', 'align', 'colspan', 'rowspan', 'type', 'checked',
  'disabled'];
// http(s), mailto, fragments and same-site paths; everything else (javascript:, data:, vbscript:…) is dropped.
const SAFE_URL = /^(?:https?:|mailto:|#|\/(?!\/)|\.{0,2}\/)/i;

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

export const markdown = (() => {
  const parser = new Marked({ gfm: true, breaks: true });
  parser.use({
    renderer: {
      html(token) {
        return escapeHtml(token.text || token.raw || '');
      },
    },
  });
  const purify = DOMPurify;
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A' && node.hasAttribute('href')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer nofollow');
    }
    if (node.tagName === 'INPUT' && node.getAttribute('type') !== 'checkbox') node.remove();
    if (node.tagName === 'INPUT') node.setAttribute('disabled', '');
  });
  const config = {
    ALLOWED_TAGS: SAFE_TAGS,
    ALLOWED_ATTR: SAFE_ATTRS,
    ALLOWED_URI_REGEXP: SAFE_URL,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    RETURN_DOM_FRAGMENT: true,
  };
  return {
    /** A sanitised fragment for the Markdown text; safe to append anywhere. */
    render(text) {
      let html;
      try {
        html = parser.parse(String(text || ''), { async: false });
      } catch (e) {
        html = '<p>' + escapeHtml(text) + '</p>';
      }
      return purify.sanitize(html, config);
    },
    /** Plain text with Markdown markers left in, for copying and for screen-reader summaries. */
    plain(text) {
      return String(text || '');
    },
  };
})();
