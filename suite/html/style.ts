/**
 * The reports' one stylesheet: system fonts only, colours as variables with a dark palette for
 * `prefers-color-scheme: dark`. Statuses pair a colour with an icon and a word, never colour alone.
 */
export const STYLE = String.raw`
:root { color-scheme: light dark; --bg: #fff; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --panel: #f6f8fa;
  --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; --info: #0969da; --skip: #6e7781; --inconclusive: #8250df;
  --bar: #4e79a7; --bar-fg: #fff; --prefix: #59a14f; --stuck: #cf222e; --evidence: #e36209; --deadline: #8250df;
  --fault: #cf222e; --heal: #1a7f37; --unavail: rgba(207, 34, 46, 0.12); --band: rgba(130, 80, 223, 0.12); --focus: #0969da; --harmed: rgba(227, 98, 9, 0.14); }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --panel: #161b22;
    --pass: #3fb950; --fail: #ff7b72; --warn: #d29922; --info: #58a6ff; --skip: #9198a1; --inconclusive: #bc8cff;
    --bar: #6e9fd6; --bar-fg: #0d1117; --prefix: #56d364; --stuck: #ff7b72; --evidence: #ffa657; --deadline: #bc8cff;
    --fault: #ff7b72; --heal: #3fb950; --unavail: rgba(255, 123, 114, 0.16); --band: rgba(188, 140, 255, 0.16); --focus: #58a6ff; --harmed: rgba(255, 166, 87, 0.16); }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 1rem 1.25rem 3rem; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 1.5rem; margin: 0.5rem 0; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; }
a { color: var(--info); }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85em; }
pre { background: var(--panel); border: 1px solid var(--line); padding: 0.6rem; overflow: auto; white-space: pre; max-height: 28rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: var(--panel); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: var(--muted); }
.badge { display: inline-block; padding: 0.1rem 0.5rem; border-radius: 1rem; border: 1px solid currentColor; font-weight: 600; white-space: nowrap; }
.s-pass { color: var(--pass); } .s-fail { color: var(--fail); } .s-warn { color: var(--warn); }
.s-info { color: var(--info); } .s-skipped { color: var(--skip); } .s-inconclusive { color: var(--inconclusive); }
.meta { display: flex; flex-wrap: wrap; gap: 0.25rem 1.5rem; margin: 0.5rem 0; }
.meta dt { color: var(--muted); } .meta dd { margin: 0 0 0 0.3rem; font-weight: 600; } .meta div { display: flex; }
details.clause { border: 1px solid var(--line); border-left: 4px solid var(--skip); margin: 0.75rem 0; padding: 0 0.75rem; }
details.clause.fail { border-left-color: var(--fail); } details.clause.warn { border-left-color: var(--warn); }
details.clause.info { border-left-color: var(--info); } details.clause.inconclusive { border-left-color: var(--inconclusive); }
details > summary { cursor: pointer; padding: 0.5rem 0; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.replay { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
.replay code { background: var(--panel); border: 1px solid var(--line); padding: 0.2rem 0.4rem; }
button { font: inherit; font-size: 0.85rem; color: var(--fg); background: var(--panel); border: 1px solid var(--line); border-radius: 4px; padding: 0.15rem 0.6rem; cursor: pointer; }
button:hover { border-color: var(--focus); }
figure.drawing-box { margin: 0.5rem 0; }
.toolbar { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; margin: 0.5rem 0; }
.scroll { overflow-x: auto; border: 1px solid var(--line); background: var(--bg); }
svg.drawing { display: block; font: 11px system-ui, sans-serif; }
svg.drawing text { fill: var(--fg); }
svg.drawing .lane-label { font-weight: 600; }
svg.drawing .lane-bg { fill: var(--panel); }
svg.drawing .gutter { fill: var(--bg); opacity: 0.92; }
svg.drawing text.value, svg.drawing .stuck-marker, svg.drawing .event-label { paint-order: stroke; stroke: var(--bg); stroke-width: 3px; stroke-linejoin: round; }
svg.drawing text.label, svg.drawing text.value, svg.drawing text.deadline-label, svg.drawing .stuck-marker, svg.drawing .lane-bg, svg.drawing .grid, svg.drawing .deadline, svg.drawing .deadline-band, svg.drawing .fault-band, svg.drawing .unavailable, svg.drawing .fault, svg.drawing .heal { pointer-events: none; }
svg.drawing .lane-bg.harmed { fill: var(--harmed); }
svg.drawing .lane-label.harmed { fill: var(--stuck); }
svg.drawing .grid { stroke: var(--line); }
svg.drawing .op rect.bar { fill: var(--bg); stroke: var(--bar); stroke-width: 1.5; }
svg.drawing .op.in-prefix rect.bar { fill: var(--prefix); stroke: var(--prefix); }
svg.drawing .op.in-prefix text.label { fill: var(--bar-fg); }
svg.drawing .op.evidence rect.bar { stroke: var(--evidence); stroke-width: 3; stroke-dasharray: 5 2; }
svg.drawing .op.stuck rect.bar { fill: var(--stuck); stroke: var(--stuck); stroke-width: 3; }
svg.drawing .op.stuck text.label { fill: #fff; font-weight: 700; }
svg.drawing .op.failed rect.bar { fill: url(#hatch-failed); stroke: var(--fail); }
svg.drawing .op.finding rect.bar { fill: var(--stuck); stroke: var(--stuck); stroke-width: 3; }
svg.drawing .op.finding text.label { fill: #fff; font-weight: 700; }
svg.drawing .op.ack rect.bar { fill: var(--bar); stroke: var(--bar); }
svg.drawing .op.ack text.label { fill: var(--bar-fg); }
svg.drawing .op:focus { outline: none; } svg.drawing .op:focus rect.bar, svg.drawing .op:hover rect.bar { stroke: var(--focus); stroke-width: 3; }
svg.drawing .stuck-marker { fill: var(--stuck); font-weight: 700; }
svg.drawing text.value { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 10px; }
svg.drawing .deadline { stroke: var(--deadline); stroke-dasharray: 4 3; } svg.drawing text.deadline-label { fill: var(--deadline); font-size: 10px; } svg.drawing .deadline-band { fill: var(--band); }
svg.drawing .fault { stroke: var(--fault); stroke-width: 2; } svg.drawing .heal { stroke: var(--heal); stroke-width: 2; }
svg.drawing .fault-band { fill: var(--unavail); } svg.drawing .unavailable { fill: url(#hatch-unavailable); }
svg.drawing .event-label { font-weight: 600; }
svg.drawing #hatch-failed line, svg.drawing #hatch-unavailable line { stroke: var(--fail); }
.legend { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; font-size: 0.85rem; color: var(--muted); margin: 0.3rem 0; }
.legend span::before { content: ""; display: inline-block; width: 1.4em; height: 0.8em; margin-right: 0.3em; vertical-align: middle; border: 2px solid var(--bar); }
.legend .l-prefix::before { background: var(--prefix); border-color: var(--prefix); }
.legend .l-open::before { background: var(--bg); }
.legend .l-stuck::before { background: var(--stuck); border-color: var(--stuck); }
.legend .l-evidence::before { border: 3px dashed var(--evidence); }
.legend .l-deadline::before { background: var(--band); border: 0; border-left: 2px dashed var(--deadline); border-right: 2px dashed var(--deadline); }
.legend .l-ack::before { background: var(--bar); }
.legend .l-failed::before { border-color: var(--fail); background: repeating-linear-gradient(45deg, transparent 0 3px, var(--fail) 3px 4px); }
.legend .l-active::before { border-color: var(--fail); background: var(--unavail); }
.legend .l-unavailable::before { border-color: var(--fail); background: repeating-linear-gradient(-45deg, transparent 0 5px, var(--fail) 5px 6px); }
.legend .l-harmed::before { border-color: var(--evidence); background: var(--harmed); }
.tooltip { position: absolute; z-index: 10; max-width: 28rem; background: var(--panel); color: var(--fg); border: 1px solid var(--line);
  box-shadow: 0 4px 12px rgba(0,0,0,.25); padding: 0.4rem 0.6rem; font-size: 0.85rem; white-space: pre-wrap; overflow-wrap: anywhere; pointer-events: none; }
.tooltip[hidden] { display: none; }
.chart svg { max-width: 100%; height: auto; }
th[aria-sort] button { border: 0; background: none; padding: 0; font-weight: 700; }
th[aria-sort="ascending"] button::after { content: " ▲"; } th[aria-sort="descending"] button::after { content: " ▼"; }
th[aria-sort="none"] button::after { content: " ⇅"; color: var(--muted); }
.grid-matrix td { text-align: center; white-space: nowrap; } .grid-matrix td:first-child, .grid-matrix td:nth-child(2) { text-align: left; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
