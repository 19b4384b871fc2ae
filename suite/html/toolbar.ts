/** The frame of a drawing: its notes, legend, zoom and scale buttons, and the jump to where it went wrong. */
import { esc } from './escape.js';

export interface DrawingBox {
  label: string;
  /** HTML, already escaped. */
  notes: string[];
  legend: string[];
  svg: string;
  /** The jump button's text. */
  jump: string;
  /** Whether the drawing offers the order scale beside time. */
  scales: boolean;
}

export function drawingBox(box: DrawingBox): string {
  const scale = box.scales
    ? '<button type="button" data-scale-to="o" aria-pressed="true">Order of events</button><button type="button" data-scale-to="t" aria-pressed="false">Real time</button>'
    : '';
  return [
    `<figure class="drawing-box" data-scale="${box.scales ? 'o' : 't'}" data-zoom="1">`,
    ...box.notes.map((n) => `<p>${n}</p>`),
    `<div class="toolbar" role="toolbar" aria-label="drawing controls"><button type="button" data-jump>${box.jump}</button>${scale}`,
    '<button type="button" data-zoom="out" aria-label="zoom out">−</button><span class="zoom-level mono">100%</span><button type="button" data-zoom="in" aria-label="zoom in">+</button><button type="button" data-zoom="reset">reset zoom</button></div>',
    `<div class="legend">${box.legend.join('')}</div>`,
    `<div class="scroll">${box.svg}</div>`,
    `<figcaption class="sr-only">${esc(box.label)}</figcaption>`,
    '</figure>',
  ].join('\n');
}

/** The lane labels on a gutter of their own, which the script keeps in view as the drawing scrolls. */
export function laneLabels(left: number, height: number, labels: string[]): string {
  return `<g class="lane-labels"><rect class="gutter" x="0" y="0" width="${left - 4}" height="${height}"/>${labels.join('')}</g>`;
}
