namespace RollbackVerifier.Reporting;

/// <summary>
/// The report's only style sheet, inlined: system fonts, no url(), no @import, light and dark schemes, printable
/// (evidence opened, no shadows, runs kept on one page where they fit).
/// </summary>
internal static class HtmlReportStyle
{
    public const string Css = """
:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --panel: #ffffff; --text: #1d232b; --muted: #5c6673; --line: #d9dee5; --code: #f0f2f5;
  --pass: #1a7f37; --pass-bg: #dcf5e3; --fail: #c62828; --fail-bg: #fde4e4; --broken: #7b3fbf; --broken-bg: #efe4fb;
  --nothing: #9a6700; --nothing-bg: #fff3cd; --notrun: #5c6673; --notrun-bg: #e8ebef;
  --warn: #9a6700; --warn-bg: #fff3cd; --info: #0b62b8; --info-bg: #e1eefb;
  --del: #ffd7d5; --ins: #ccf2d5;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #111418; --panel: #1a1f25; --text: #e4e8ee; --muted: #9aa4b1; --line: #2f3742; --code: #232a33;
    --pass: #5fd17f; --pass-bg: #16331f; --fail: #ff8a80; --fail-bg: #3b1919; --broken: #c9a2f5; --broken-bg: #2d2040;
    --nothing: #f2c94c; --nothing-bg: #3a3014; --notrun: #aab3bf; --notrun-bg: #2a3038;
    --warn: #f2c94c; --warn-bg: #3a3014; --info: #82b8f5; --info-bg: #172b42;
    --del: #5c2523; --ins: #1d4a2a;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--text); }
body { margin: 0 auto; max-width: 1180px; padding: 24px 28px 48px; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 20px; margin: 36px 0 10px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 17px; margin: 0; }
h4 { font-size: 14px; margin: 18px 0 8px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
h5 { font-size: 12px; margin: 0 0 4px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
h5.sub { margin-top: 14px; }
p { margin: 6px 0; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 13px; }
code { background: var(--code); padding: 1px 5px; border-radius: 4px; overflow-wrap: anywhere; }
pre { background: var(--code); margin: 0; padding: 10px 12px; border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); background: var(--code); }
tr:last-child td { border-bottom: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
a { color: inherit; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.hero { background: var(--panel); border: 1px solid var(--line); border-left: 8px solid var(--fail); border-radius: 10px; padding: 18px 22px; }
.hero.passed { border-left-color: var(--pass); }
.hero .lead { font-size: 17px; margin: 4px 0 10px; }
.counts { display: flex; flex-wrap: wrap; gap: 8px; list-style: none; padding: 0; margin: 10px 0; }
.badge { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12px; font-weight: 600; letter-spacing: .02em; white-space: nowrap; border: 1px solid transparent; }
.badge.big { font-size: 18px; padding: 2px 14px; vertical-align: 3px; }
.v-pass, .PASSED { color: var(--pass); background: var(--pass-bg); }
.v-fail, .FAILED { color: var(--fail); background: var(--fail-bg); }
.v-broken { color: var(--broken); background: var(--broken-bg); }
.v-nothing-tested { color: var(--nothing); background: var(--nothing-bg); }
.v-not-run { color: var(--notrun); background: var(--notrun-bg); }
.unexpected { color: var(--fail); border-color: var(--fail); background: transparent; }
.expected { color: var(--muted); border-color: var(--line); background: transparent; }
.intro { margin: 16px 0 0; color: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 8px 0 0; padding: 0; list-style: none; font-size: 13px; color: var(--muted); }
.matrix td, .matrix th { text-align: center; }
.matrix td:first-child, .matrix th:first-child { text-align: left; }
.matrix a { text-decoration: none; }
.run { background: var(--panel); border: 1px solid var(--line); border-top: 4px solid var(--notrun); border-radius: 10px; padding: 16px 20px; margin: 16px 0; break-inside: avoid-page; }
.run.v-pass-run { border-top-color: var(--pass); } .run.v-fail-run { border-top-color: var(--fail); }
.run.v-broken-run { border-top-color: var(--broken); } .run.v-nothing-tested-run { border-top-color: var(--nothing); }
.run-head { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 12px; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 10px 0 0; font-size: 14px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.callout { border-left: 4px solid var(--fail); background: var(--fail-bg); padding: 8px 12px; border-radius: 6px; margin: 10px 0; }
.callout.note { border-left-color: var(--notrun); background: var(--code); }
.finding { border: 1px solid var(--line); border-left: 4px solid var(--fail); border-radius: 8px; padding: 10px 14px; margin: 10px 0; }
.finding.warning { border-left-color: var(--warn); } .finding.info { border-left-color: var(--info); } .finding.accepted { border-left-color: var(--notrun); }
.fhead { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: baseline; }
.code-tag { font-weight: 700; }
.sev { font-size: 11px; text-transform: uppercase; }
.sev.error { color: var(--fail); background: var(--fail-bg); } .sev.warning { color: var(--warn); background: var(--warn-bg); }
.sev.info { color: var(--info); background: var(--info-bg); } .sev.accepted { color: var(--notrun); background: var(--notrun-bg); }
.ba { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; margin: 8px 0 4px; }
.ba > div { min-width: 0; }
del { background: var(--del); text-decoration: line-through; text-decoration-thickness: 1px; color: inherit; border-radius: 2px; }
ins { background: var(--ins); text-decoration: none; color: inherit; border-radius: 2px; }
.gap { display: inline-block; width: 100%; background: repeating-linear-gradient(135deg, transparent 0 4px, var(--line) 4px 5px); }
details { margin: 6px 0; }
summary { cursor: pointer; color: var(--muted); font-size: 14px; }
details[open] > summary { margin-bottom: 6px; }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; font-size: 13px; }
.kv dt { color: var(--muted); } .kv dd { margin: 0; overflow-wrap: anywhere; }
.advice li { margin: 4px 0; }
details > table, details > p, details > h5 { margin-bottom: 8px; }
pre.output, pre.prompt { max-height: 32em; overflow: auto; }
.bars { display: grid; grid-template-columns: max-content 1fr max-content; gap: 3px 10px; align-items: center; font-size: 13px; }
.bar { height: 10px; border-radius: 5px; background: var(--info); min-width: 2px; }
.track { background: var(--code); border-radius: 5px; }
footer { margin-top: 40px; font-size: 13px; color: var(--muted); }
@media (max-width: 760px) { .ba { grid-template-columns: 1fr; } body { padding: 12px; } }
@media print {
  html, body { background: #fff; color: #000; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  .run, .hero, table { box-shadow: none; }
  details::details-content { content-visibility: visible; display: block; }
  pre.output, pre.prompt { max-height: none; }
  summary { color: #000; }
  a { text-decoration: none; }
}
""";
}
