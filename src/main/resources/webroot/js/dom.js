// DOM helpers and the page's shared furniture: the views, the notice line, the connection
// badge and the toggle buttons' pressed state.

export const $ = (id) => document.getElementById(id);
export const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
};

export function show(view) {
  for (const id of ['view-signin', 'view-lobby', 'view-prejoin', 'view-waiting', 'view-room', 'view-recap']) $(id).hidden = id !== view;
}

export function notice(text) {
  $('notice').textContent = text || '';
  $('notice').hidden = !text;
}

export function setConn(state) {
  const pill = $('conn');
  pill.dataset.state = state;
  pill.textContent = {
    idle: 'not connected', connecting: 'connecting…', connected: 'connected',
    reconnecting: 'reconnecting…', closed: 'not connected',
  }[state] || state;
}

export function setPressed(id, pressed, offLabel, onLabel) {
  const button = $(id);
  button.setAttribute('aria-pressed', String(pressed));
  button.textContent = pressed ? onLabel : offLabel;
}

/** Clicks a temporary link that saves `href` as `name`. */
export function clickDownload(href, name) {
  const a = el('a', {href, download: name});
  document.body.append(a);
  a.click();
  a.remove();
}
