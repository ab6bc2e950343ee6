// Building elements without HTML strings: text is always text (no injection), and no inline style (the CSP forbids it).

const SVG = 'http://www.w3.org/2000/svg';

function build(element, attributes, children) {
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value != null) element.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child != null && child !== false) element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** An HTML element: h('button', { type: 'button', onclick: f }, 'Send'). */
export const h = (tag, attributes, ...children) => build(document.createElement(tag), attributes, children);

/** An SVG element. */
export const s = (tag, attributes, ...children) => build(document.createElementNS(SVG, tag), attributes, children);

let controls = 0;

/**
 * A control with its label (label for=id: the control's accessible name is the label's text alone, not also the
 * control's value as when the label wraps it); extra, shown after the control, such as an output.
 */
export function labelled(label, control, ...extra) {
  control.id ||= `control-${++controls}`;
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, ...extra);
}

/** A labelled input. */
export const field = (label, attributes) => labelled(label, h('input', attributes));

/** A labelled select of the given options. */
export const choice = (label, attributes, options) =>
  labelled(label, h('select', attributes, options.map(o => h('option', { value: o }, o))));

/** A table of rows, each a list of cells; numbers are right-aligned. */
export function table(caption, headers, rows) {
  return h('table', {},
    h('caption', { class: 'muted' }, caption),
    h('thead', {}, h('tr', {}, headers.map(text => h('th', { scope: 'col' }, text)))),
    h('tbody', {}, rows.map(cells => h('tr', {}, cells.map(cell =>
      cell instanceof Node ? h('td', {}, cell) : h('td', typeof cell === 'number' ? { class: 'number' } : {}, format(cell)))))));
}

/** Numbers to three significant decimals, the rest as text. */
export function format(value) {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(3);
  if (Array.isArray(value)) return value.join(', ');
  return value ?? '';
}

export const percent = value => `${(value * 100).toFixed(1)}%`;

/** Replaces what a container shows. */
export function show(container, ...children) {
  container.replaceChildren(...children.flat(Infinity).filter(c => c != null && c !== false));
}
