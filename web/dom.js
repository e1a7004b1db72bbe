// Building DOM nodes without HTML strings: every text from the API or the matrix goes
// in as a text node, so no title, note or message can run a script.

// h('a', {href: '#/x', class: 'c', onclick: fn}, 'text', child, [children], null)
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (k === 'class') {
      el.className = v;
    } else if (k === 'value' || k === 'checked' || k === 'hidden' || k === 'disabled' ||
               k === 'selected') {
      el[k] = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

// Replaces the content of `el`.
export function put(el, ...children) {
  return append(clear(el), children);
}

// Replaces the element `id` by `node` if it is still on the page: a redraw that
// finishes after the reader has moved to another tab or page changes nothing.
export function swap(id, node) {
  const el = document.getElementById(id);
  if (el) el.replaceWith(node);
  return !!el;
}

// Calls `fn` once typing has paused for `ms`.
export function debounce(fn, ms) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

// Saves a Blob as a file through a temporary link (no new window, no other host).
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// Tables wider than the screen say so: a `.table-wrap` that scrolls sideways is put in a
// `.scroll-frame` whose edges fade where more is hidden (classes more-left, more-right),
// under a hint line (`hint`, in the page's language), and it takes the focus (a keyboard
// scrolls it). Drawn again when the window changes size or the page adds a table.
export function watchScrollers(root, hint) {
  const mark = wrap => {
    let frame = wrap.parentElement;
    if (!frame || !frame.classList.contains('scroll-frame')) {
      frame = h('div', { class: 'scroll-frame' }, h('p', { class: 'scroll-hint', 'aria-hidden': 'true' }));
      wrap.replaceWith(frame);
      frame.append(wrap);
      wrap.addEventListener('scroll', () => mark(wrap), { passive: true });
    }
    const scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    frame.classList.toggle('scrolls', scrolls);
    frame.classList.toggle('more-left', scrolls && wrap.scrollLeft > 1);
    frame.classList.toggle('more-right', scrolls && wrap.scrollLeft + wrap.clientWidth < wrap.scrollWidth - 1);
    const text = scrolls ? hint() : '';
    // Only a change is written: the observer below sees every write.
    if (frame.firstChild.textContent !== text) frame.firstChild.textContent = text;
    if (scrolls) {
      wrap.setAttribute('tabindex', '0');
      wrap.setAttribute('role', 'region');
      wrap.setAttribute('aria-label', hint());
    } else {
      wrap.removeAttribute('tabindex');
      wrap.removeAttribute('role');
      wrap.removeAttribute('aria-label');
    }
  };
  let queued = false;
  const all = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      root.querySelectorAll('.table-wrap').forEach(mark);
    });
  };
  new MutationObserver(all).observe(root, { childList: true, subtree: true });
  window.addEventListener('resize', all);
  return all;
}
