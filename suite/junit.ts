/**
 * A conformance report as JUnit XML, the format CI systems render per test (GitHub through
 * test-report actions, GitLab, Jenkins): one testcase per clause. A fail is a <failure>, a skipped
 * clause <skipped>; a warn, an inconclusive check and an INFO finding pass, with the account in
 * <system-out> and the status as a property.
 */
import { outcomeOf, suiteName, testName } from './binding.js';
import type { ClauseResult, ConformanceReport } from './result.js';

/**
 * Characters XML 1.0 does not allow at all, escaped or not: most C0 controls, lone surrogates,
 * U+FFFE and U+FFFF. Store names and error texts come from the store under test.
 */
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text for XML content or a double-quoted attribute; a forbidden character becomes U+FFFD, so its place still shows. */
export function escapeXml(text: string): string {
  return text
    .replace(FORBIDDEN, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // Parsers turn a literal CR or tab in an attribute into a space: keep them as references.
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

/** An attribute value: a newline as a reference too, which parsers would otherwise read as a space. */
const attribute = (text: string): string => escapeXml(text).replace(/\n/g, '&#10;');

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function property(name: string, value: string | number | boolean): string {
  return `<property name="${attribute(name)}" value="${attribute(String(value))}"/>`;
}

function testcase(report: ConformanceReport, c: ClauseResult): string {
  const lines = [
    `    <testcase classname="${attribute(suiteName(report.store))}" name="${attribute(testName(c))}" time="${seconds(c.durationMs)}">`,
    `      <properties>${property('level', c.level)}${property('status', c.status)}</properties>`,
  ];
  const outcome = outcomeOf(report.store, c);
  if (outcome.kind === 'fail') lines.push(`      <failure message="${attribute(outcome.message.split('\n')[0]!)}" type="${c.level}">${escapeXml(outcome.message)}</failure>`);
  if (outcome.kind === 'skip') lines.push(`      <skipped message="${attribute(outcome.reason)}"/>`);
  if (outcome.kind === 'note') lines.push(`      <system-out>${escapeXml(outcome.message)}</system-out>`);
  lines.push('    </testcase>');
  return lines.join('\n');
}

export function renderJUnit(report: ConformanceReport): string {
  const { summary } = report;
  const tests = report.clauses.length;
  const time = seconds(report.clauses.reduce((sum, c) => sum + c.durationMs, 0));
  const counts = `tests="${tests}" failures="${summary.fail}" errors="0" skipped="${summary.skipped}" time="${time}"`;
  const properties = [
    property('store', report.store),
    property('ok', report.ok),
    property('strict', report.strict),
    property('seed', report.seed),
    property('numRuns', report.numRuns),
    property('clock', report.target.clock),
    ...Object.entries(report.versions).map(([name, version]) => property(`version ${name}`, version)),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="session store conformance" ${counts}>`,
    `  <testsuite name="${attribute(suiteName(report.store))}" ${counts} timestamp="${attribute(report.date.replace(/\.\d+Z$/, ''))}">`,
    `    <properties>${properties.join('')}</properties>`,
    ...report.clauses.map((c) => testcase(report, c)),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
