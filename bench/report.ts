// The report of a full or quick run as markdown: the message path side by side with the bare
// relay, the echo and Prosody, the ratios, the goals of issue 6, then connections, depth, drain.
import { formatSpread, type Spread } from './lib/histogram';
import { machineLine } from './lib/machine';
import { NARROW_WITHIN, TARGET_NAMES, type RatePoint, type TargetResult } from './lib/points';
import type { Report } from './run';

const ms = (s: Spread) => formatSpread(s, 2);
/** "p50 / p99", or a dash for a figure an older report does not have. */
const pair = (p50: Spread | undefined, p99: Spread | undefined) => (p50 && p99 ? `${ms(p50)} / ${ms(p99)}` : '–');
const per = (s: Spread) => formatSpread(s, 0);

function pathRows(results: TargetResult[]): string[] {
  const rows = [
    '| target | offered msg/s | Acked/s | delivered/s | persisted/s | recipient-Acked/s | Ack p50 / p99 ms | delivery p50 / p99 / max ms | server CPU µs/msg | loss | sustained |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const result of results) {
    for (const p of result.points) {
      const loss = (p.runs.every((r) => r.lossFree) ? 'none' : '**yes**') + (p.runs.every((r) => r.drained) ? '' : ', lagging');
      rows.push(
        `| ${TARGET_NAMES[result.target]} | ${p.rate} | ${per(p.ackedPerSecond)} | ${per(p.deliveredPerSecond)} | ${per(p.persistedPerSecond)} | ${per(p.recipientAckedPerSecond)} | ${ms(p.ackP50)} / ${ms(p.ackP99)} | ${ms(p.deliveryP50)} / ${ms(p.deliveryP99)} / ${ms(p.deliveryMax)} | ${p.serverCpuUsPerMessage ? per(p.serverCpuUsPerMessage) : '–'} | ${loss} | ${p.sustained ? 'yes' : 'no'} |`,
      );
    }
  }
  return rows;
}

/** The most Acked per second at any offered rate (median of the runs); NaN without the target. */
const mostAcked = (t: TargetResult | undefined) => (t ? Math.max(...t.points.map((p) => p.ackedPerSecond.median)) : NaN);

/** "40 %": `ours` as a share of `theirs`, or '' when either is missing. */
const shareText = (ours: number | null | undefined, theirs: number | null | undefined) =>
  ours && theirs ? `${((100 * ours) / theirs).toFixed(0)} %` : '';

const pointAt = (result: TargetResult | undefined, rate: number): RatePoint | undefined => result?.points.find((p) => p.rate === rate);

/** One row per offered rate, one column per target: delivered/s and p99 delivery latency. */
function sideBySide(results: TargetResult[]): string[] {
  const rates = [...new Set(results.flatMap((r) => r.points.map((p) => p.rate)))].sort((a, b) => a - b);
  const rows = [
    `| offered msg/s | ${results.map((r) => `${TARGET_NAMES[r.target]}: delivered/s, p99 ms`).join(' | ')} |`,
    `|---:|${results.map(() => '---:').join('|')}|`,
  ];
  for (const rate of rates) {
    const cells = results.map((r) => {
      const p = pointAt(r, rate);
      const median = (v: Spread, digits: number) => formatSpread({ ...v, min: v.median, max: v.median }, digits);
      return p ? `${median(p.deliveredPerSecond, 0)}, ${median(p.deliveryP99, 1)}${p.sustained ? '' : ' ✗'}` : '';
    });
    rows.push(`| ${rate} | ${cells.join(' | ')} |`);
  }
  return rows;
}

export function renderReport(report: Report): string {
  const lines: string[] = [
    `# Benchmark report, ${report.startedAt}${report.quick ? ' (quick)' : ''}`,
    '',
    machineLine(report.machine),
    '',
    `Took ${report.minutes.toFixed(1)} min. Figures are the median of the runs with (min–max) when there were several.`,
  ];
  const targets = report.messagePath?.targets ?? [];
  const all = report.prosody?.result ? [...targets, report.prosody.result] : targets;
  if (report.messagePath) {
    const o = report.messagePath.options;
    lines.push(
      '',
      `## Message path`,
      '',
      `${o.pairs} sender → recipient pairs (${2 * o.pairs} sockets), seed 002 frames; per run ${o.warmup} s warm-up then ${o.seconds} s measured; ${o.runs} runs per point ` +
        `(one past the first rate a target could not keep up with)` +
        (o.narrow ? `; then rates between a target's highest sustained rate and the next one tried, halving the gap until it is within ${100 * NARROW_WITHIN} %` : '') +
        `. Latency from each message's intended send time. ` +
        `Sustained: Acked and delivered ≥ 95 % of offered, p99 delivery ≤ ${o.maxP99Ms} ms, everything Acked and delivered within 30 s of the last send (else "lagging"), and the store holds every message once (counted once the target has settled).`,
      '',
      'Side by side (median; ✗: not sustained):',
      '',
      ...sideBySide(all),
      '',
      'Every figure:',
      '',
      ...pathRows(all),
    );
    const chat = all.find((t) => t.target === 'chat');
    // Peak Acked/s and CPU per message: steadier than the sustained rule, which one noisy p99 can flip.
    const cpuRate = 2000;
    const cpuAt = (t: TargetResult | undefined) => pointAt(t, cpuRate)?.serverCpuUsPerMessage?.median ?? null; // absent from reports older than the figure
    lines.push(
      '',
      `| target | highest sustained msg/s | our rate as a share of it | most Acked/s at any rate | ours as a share of it | server CPU µs/message at ${cpuRate}/s |`,
      '|---|---:|---:|---:|---:|---:|',
    );
    for (const t of all) {
      const cpu = cpuAt(t);
      const ours = t.target === 'chat';
      lines.push(
        `| ${TARGET_NAMES[t.target]} | ${t.saturation ?? 'none'} | ${ours ? '' : shareText(chat?.saturation, t.saturation)} | ${mostAcked(t).toFixed(0)} | ${ours ? '' : shareText(mostAcked(chat), mostAcked(t))} | ${cpu === null || Number.isNaN(cpu) ? '–' : cpu.toFixed(0)} |`,
      );
    }
  }
  if (report.prosody) {
    lines.push(
      '',
      report.prosody.skipped
        ? `Prosody: SKIPPED — ${report.prosody.skipped}`
        : `Prosody ${report.prosody.version}: ${report.prosody.store}, mod_mam archiving, Ack = stream-management <a/>, delivery = the stanza on the recipient's stream.`,
    );
  }
  if (report.connections) {
    const c = report.connections;
    lines.push(
      '',
      '## Connections',
      '',
      `${c.runs[0]?.sockets ?? 0} idle authenticated sockets: ${formatSpread({ median: c.bytesPerSocket.median / 1024, min: c.bytesPerSocket.min / 1024, max: c.bytesPerSocket.max / 1024 }, 1)} KiB of server RSS per socket; ${formatSpread(c.connectSeconds, 2)} s to connect and authenticate them all.`,
    );
  }
  if (report.depth) {
    const d = report.depth;
    lines.push(
      '',
      '## Depth',
      '',
      `${d.store.messages} messages in ${d.store.conversations} conversations (the deep chat holds ${d.store.deepMessages}; the user has 1,000 chats), generated in ${d.store.seconds.toFixed(1)} s. One connection (autocannon), each response timed, after ${d.warmupSeconds ?? 0} s of the same load that is not counted (the first seconds run code the JIT has not optimised yet); "in the handler" is the server's own time for it (its Server-Timing header); "the answer replayed" is the same answer sent by a server that does nothing else (bench/replay-server.ts, on the server's core): the floor of the network, the event loop and the load client for an answer of that size.`,
      '',
      '| query | p50 ms | p99 ms | in the handler p50 / p99 ms | the answer replayed p50 / p99 ms | req/s |',
      '|---|---:|---:|---:|---:|---:|',
      ...d.queries.map(
        (q) =>
          `| ${q.name}${q.failures ? ' **(failures)**' : ''} | ${ms(q.p50)} | ${ms(q.p99)} | ${pair(q.serverP50, q.serverP99)} | ${pair(q.replayP50, q.replayP99)} | ${per(q.requestsPerSecond)} |`,
      ),
    );
  }
  if (report.drain) {
    const d = report.drain;
    lines.push(
      '',
      '## Offline drain',
      '',
      `${d.runs[0]?.backlog ?? 0} undelivered messages pushed to a reconnecting user${d.runs[0]?.acked === false ? ' (not Acked)' : d.runs[0]?.acked ? ' that Acks each' : ''}: ${formatSpread(d.seconds, 2)} s (${per(d.messagesPerSecond)} msg/s); server peak RSS ${formatSpread(d.peakMiB, 0)} MiB.`,
    );
  }
  lines.push('', '## Goals (issue 6)', '', '| goal | measured | met |', '|---|---|---|');
  const chat = targets.find((t) => t.target === 'chat');
  const relay = targets.find((t) => t.target === 'relay');
  const goal = (name: string, measured: string, met: boolean | null) => lines.push(`| ${name} | ${measured} | ${met === null ? 'not measured' : met ? 'yes' : '**no**'} |`);
  const at10k = pointAt(chat, 10000);
  goal('≥ 10,000 msg/s with p99 delivery ≤ 50 ms', at10k ? `${per(at10k.deliveredPerSecond)}/s, p99 ${ms(at10k.deliveryP99)} ms at 10,000/s` : '–', at10k ? at10k.sustained && at10k.deliveryP99.median <= 50 : null);
  const at2k = pointAt(chat, 2000);
  goal('p99 delivery ≤ 10 ms at 2,000/s', at2k ? `${ms(at2k.deliveryP99)} ms` : '–', at2k ? at2k.deliveryP99.median <= 10 : null);
  const share = chat?.saturation && relay?.saturation ? chat.saturation / relay.saturation : null;
  const peakShare = `; by the most Acked/s at any rate ${shareText(mostAcked(chat), mostAcked(relay))}`;
  goal(
    '≥ 50 % of the bare relay (aim 80 %)',
    (share !== null ? `${(100 * share).toFixed(0)} % of its highest sustained rate (${chat!.saturation} vs ${relay!.saturation} msg/s)` : `ours ${chat?.saturation ?? 'none'}, relay ${relay?.saturation ?? 'none'}`) +
      (chat && relay ? peakShare : ''),
    relay ? share !== null && share >= 0.5 : null,
  );
  const kib = report.connections ? report.connections.bytesPerSocket.median / 1024 : null;
  goal('≤ 20 KB per idle socket (aim 10 KB)', kib !== null ? `${kib.toFixed(1)} KiB` : '–', kib !== null ? kib * 1.024 <= 20 : null);
  const history = report.depth?.queries.filter((q) => q.name.startsWith('history')) ?? [];
  const lists = report.depth?.queries.filter((q) => q.name.startsWith('chat list')) ?? [];
  const worst = (qs: typeof history) => Math.max(...qs.map((q) => q.p99.median));
  const worstInHandler = (qs: typeof history) => Math.max(...qs.map((q) => q.serverP99?.median ?? NaN));
  const measured = (qs: typeof history) => {
    if (!qs.length) return '–';
    const inHandler = worstInHandler(qs);
    return `worst p99 ${worst(qs).toFixed(2)} ms` + (Number.isNaN(inHandler) ? '' : ` (in the handler ${inHandler.toFixed(2)} ms)`);
  };
  goal('history page p99 ≤ 2 ms at any depth', measured(history), history.length ? worst(history) <= 2 : null);
  goal('chat list p99 ≤ 20 ms', measured(lists), lists.length ? worst(lists) <= 20 : null);
  if (report.failures.length) lines.push('', '## Failures', '', ...report.failures.map((f) => `- ${f}`));
  return lines.join('\n') + '\n';
}
