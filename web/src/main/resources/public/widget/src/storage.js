// Small per-browser memory: the open thread and the draft in localStorage, whether the panel was open in
// sessionStorage (a new tab starts closed).

function storageOp(store, key, value) {
  try {
    if (value === undefined) return store.getItem(key);
    if (value === null) store.removeItem(key);
    else store.setItem(key, value);
  } catch (e) {
    // Storage can be disabled (private modes, sandboxed frames): the widget works, it just forgets on reload.
  }
  return null;
}

/** Reads `key` with no `value`, removes it with null, else stores `value`. */
export function local(key, value) {
  return storageOp(window.localStorage, key, value);
}

export function session(key, value) {
  return storageOp(window.sessionStorage, key, value);
}
