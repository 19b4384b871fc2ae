/**
 * The reports' one script, inline: tooltips on bars (from the page's JSON data, set as text, never
 * as HTML), zoom and scale of a drawing, the jump to where a history got stuck, copy buttons and
 * sortable tables. It also lays the drawings out (their positions are data, per scale and zoom).
 */
export const SCRIPT = String.raw`
(() => {
  'use strict';
  const dataEl = document.getElementById('drawing-data');
  const drawings = dataEl ? JSON.parse(dataEl.textContent) : [];
  const tip = document.createElement('div');
  tip.className = 'tooltip';
  tip.id = 'tooltip';
  tip.setAttribute('role', 'tooltip');
  tip.hidden = true;
  document.body.appendChild(tip);

  const show = (v) => (v === null || v === undefined ? 'absent' : '#' + v);
  const at = (clock, t) => (clock === 'logical' ? 'step ' + t : (Math.round(t * 10) / 10) + ' ms');

  function describeHistoryOp(d, op) {
    const lines = ['client ' + op.client + ' · ' + op.op + '(' + op.args + ')', '→ ' + op.result,
      'called at ' + at(d.clock, op.call) + ', returned at ' + at(d.clock, op.ret)];
    lines.push(op.prefixIndex === undefined ? 'not in the longest linearizable prefix' : 'in the longest linearizable prefix, step ' + (op.prefixIndex + 1) + ' of ' + d.prefixLength);
    if (op.stuck) lines.push('✗ stuck here: the longest prefix cannot place this operation');
    if (op.evidence) lines.push('⚑ evidence of ' + d.anomaly);
    if (op.lastChange) lines.push('◆ the last change in the prefix: what the session held when the search got stuck');
    if (op.deadline) lines.push('deadline between ' + at(d.clock, op.deadline.earliest) + ' and ' + at(d.clock, op.deadline.latest));
    return lines.join('\n');
  }

  function describeFaultOp(op) {
    const what = op.kind === 'set' ? 'set ' + show(op.value) : op.kind;
    const lines = [op.client + ' · ' + what + ' · ' + (op.outcome === 'ok' ? 'acknowledged' : 'failed: ' + (op.error || 'no answer'))];
    if (op.result !== undefined) lines.push('→ ' + show(op.result));
    lines.push('called at +' + op.start + ' ms, ' + (op.end === null ? 'never settled' : 'settled at +' + op.end + ' ms'));
    if (op.healed) lines.push('called after the heal');
    if (op.finding) lines.push('✗ ' + op.finding + ': expected ' + op.expected.map(show).join(' or '));
    return lines.join('\n');
  }

  function describe(el) {
    const entry = drawings[Number(el.dataset.d)];
    if (!entry) return el.getAttribute('aria-label') || '';
    if (entry.kind === 'history') return describeHistoryOp(entry.drawing, entry.drawing.operations[Number(el.dataset.i)]);
    const [s, i] = el.dataset.i.split('.').map(Number);
    const session = entry.drawing.sessions[s];
    return 'session ' + session.session + '\n' + describeFaultOp(session.ops[i]);
  }

  function place(el, x, y) {
    tip.style.left = Math.max(4, Math.min(x + 14, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8)) + 'px';
    tip.style.top = y + 16 + 'px';
  }
  function open(el, x, y) {
    tip.textContent = describe(el);
    tip.hidden = false;
    el.setAttribute('aria-describedby', 'tooltip');
    if (x === undefined) {
      const r = el.getBoundingClientRect();
      x = r.left + window.scrollX;
      y = r.bottom + window.scrollY;
    }
    place(el, x, y);
  }
  function close(el) {
    tip.hidden = true;
    if (el) el.removeAttribute('aria-describedby');
  }
  for (const el of document.querySelectorAll('.op')) {
    el.addEventListener('mouseenter', (e) => open(el, e.pageX, e.pageY));
    el.addEventListener('mousemove', (e) => place(el, e.pageX, e.pageY));
    el.addEventListener('mouseleave', () => close(el));
    el.addEventListener('focus', () => open(el));
    el.addEventListener('blur', () => close(el));
  }
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape') close(document.activeElement); });

  // Drawings: positions are stored per scale ("x0 x1" before zoom); zoom stretches them from the left edge.
  function layout(box) {
    const svg = box.querySelector('svg.drawing');
    const scale = box.dataset.scale || 'o';
    const zoom = Number(box.dataset.zoom || 1);
    const left = Number(svg.dataset.left);
    const z = (x) => left + (x - left) * zoom;
    for (const el of svg.querySelectorAll('[data-' + scale + ']')) {
      const [a, b] = el.getAttribute('data-' + scale).split(' ').map(Number);
      const x0 = z(a), x1 = z(b === undefined ? a : b);
      const tag = el.tagName.toLowerCase();
      if (tag === 'rect') { el.setAttribute('x', x0.toFixed(1)); el.setAttribute('width', Math.max(x1 - x0, 3).toFixed(1)); }
      else if (tag === 'line') { el.setAttribute('x1', x0.toFixed(1)); el.setAttribute('x2', x0.toFixed(1)); }
      else if (tag === 'text') { el.setAttribute('x', x0.toFixed(1)); el.style.visibility = b !== undefined && x1 - x0 < 16 ? 'hidden' : ''; }
    }
    const width = z(Number(svg.dataset[scale === 't' ? 'endT' : 'endO'])) + 40;
    svg.setAttribute('width', Math.max(width, Number(svg.dataset.minWidth || 0)).toFixed(0));
    svg.setAttribute('viewBox', '0 0 ' + svg.getAttribute('width') + ' ' + svg.getAttribute('height'));
    for (const b of box.querySelectorAll('[data-scale-to]')) b.setAttribute('aria-pressed', String(b.dataset.scaleTo === scale));
    const label = box.querySelector('.zoom-level');
    if (label) label.textContent = Math.round(zoom * 100) + '%';
  }
  for (const box of document.querySelectorAll('.drawing-box')) {
    box.addEventListener('click', (e) => {
      const b = e.target.closest('button');
      if (!b) return;
      if (b.dataset.zoom) {
        const zoom = Number(box.dataset.zoom || 1);
        box.dataset.zoom = String(b.dataset.zoom === 'in' ? Math.min(zoom * 1.5, 40) : b.dataset.zoom === 'out' ? Math.max(zoom / 1.5, 0.05) : 1);
        layout(box);
      } else if (b.dataset.scaleTo) {
        box.dataset.scale = b.dataset.scaleTo;
        layout(box);
      } else if (b.hasAttribute('data-jump')) {
        const target = box.querySelector('.op.stuck, .op.finding');
        if (!target) return;
        const scroller = box.querySelector('.scroll');
        const r = target.getBoundingClientRect(), s = scroller.getBoundingClientRect();
        scroller.scrollLeft += r.left - s.left - s.width / 2 + r.width / 2;
        target.focus();
      }
    });
    const scroller = box.querySelector('.scroll');
    const labels = box.querySelector('.lane-labels');
    if (scroller && labels) scroller.addEventListener('scroll', () => labels.setAttribute('transform', 'translate(' + scroller.scrollLeft + ' 0)'));
    layout(box);
  }

  // A link to a section inside closed <details> (the matrix's cells) opens it.
  function reveal() {
    const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    for (let el = target; el; el = el.parentElement) if (el.tagName === 'DETAILS') el.open = true;
  }
  window.addEventListener('hashchange', reveal);
  reveal();

  for (const b of document.querySelectorAll('button[data-copy]')) {
    b.addEventListener('click', async () => {
      const text = document.getElementById(b.dataset.copy).textContent;
      const status = b.nextElementSibling;
      try {
        await navigator.clipboard.writeText(text);
        status.textContent = 'copied';
      } catch {
        const range = document.createRange();
        range.selectNodeContents(document.getElementById(b.dataset.copy));
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        status.textContent = 'selected: press Ctrl+C to copy';
      }
    });
  }

  // Sortable tables: numbers compare as numbers ("1,234 · p99 …" sorts by 1234), the rest as text.
  const key = (cell) => {
    const text = cell.textContent.trim();
    const n = Number(text.replace(/[,\s]/g, '').match(/^-?[\d.]+/)?.[0]);
    return Number.isFinite(n) && /^[-\d]/.test(text) ? n : text.toLowerCase();
  };
  for (const table of document.querySelectorAll('table.sortable')) {
    const heads = [...table.tHead.rows[0].cells];
    heads.forEach((th, col) => {
      th.setAttribute('aria-sort', 'none');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = th.textContent;
      th.textContent = '';
      th.appendChild(button);
      button.addEventListener('click', () => {
        const dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
        for (const h of heads) h.setAttribute('aria-sort', 'none');
        th.setAttribute('aria-sort', dir);
        const body = table.tBodies[0];
        const rows = [...body.rows].sort((a, b) => {
          const x = key(a.cells[col]), y = key(b.cells[col]);
          const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
          return dir === 'ascending' ? c : -c;
        });
        for (const row of rows) body.appendChild(row);
      });
    });
  }
})();
`;
