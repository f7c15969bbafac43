// Runs every benchmark, each point three times (median and spread), and writes the report:
// bench/results/<timestamp>.md (a markdown table) and .json, copied to latest.md and latest.json.
// `--quick` (under 3 minutes after the build): the message path at two rates against the server
// and the bare relay, and the depth queries on a smaller store.
//   npm run bench [-- --quick]        (builds first)   ·   npx tsx bench/run.ts [--quick] [--render <report.json>]
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connections, type ConnectionsResult } from './connections';
import { depth, type DepthResult } from './depth';
import { drain, type DrainResult } from './drain';
import { ensureOpenFiles, machine, machineLine, pinClient, type Machine } from './lib/machine';
import { messagePath, ratios, TARGET_NAMES, type MessagePathOptions, type TargetResult } from './message-path';
import { prosody, type ProsodyResult } from './prosody';
import { renderReport } from './report';

export type Report = {
  startedAt: string;
  minutes: number;
  quick: boolean;
  machine: Machine;
  messagePath: { options: MessagePathOptions; targets: TargetResult[] } | null;
  prosody: ProsodyResult | null;
  connections: ConnectionsResult | null;
  depth: DepthResult | null;
  drain: DrainResult | null;
  failures: string[];
};

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, render: { type: 'string' } } });
if (values.render) {
  // --render <report.json>: the markdown of a saved run again (after a change to the report's layout).
  console.log(renderReport(JSON.parse(readFileSync(values.render, 'utf8')) as Report));
  process.exit(0);
}
const quick = values.quick;
ensureOpenFiles(11_000);
pinClient();
const started = new Date();
console.log(machineLine());
console.log(quick ? 'quick mode: message path at 2 rates (server, bare relay), depth queries on a small store' : 'full run');

const report: Report = {
  startedAt: started.toISOString(),
  minutes: 0,
  quick,
  machine: machine(),
  messagePath: null,
  prosody: null,
  connections: null,
  depth: null,
  drain: null,
  failures: [],
};

/** Runs one benchmark; a failure is reported and the others still run. */
async function section<T>(name: string, run: () => Promise<T>): Promise<T | null> {
  console.log(`\n## ${name}`);
  try {
    return await run();
  } catch (error) {
    const message = `${name} failed: ${error instanceof Error ? error.message : String(error)}`;
    console.log(message);
    report.failures.push(message);
    return null;
  }
}

const pathOptions: MessagePathOptions = quick
  ? { targets: ['chat', 'relay'], pairs: 500, rates: [2000, 10000], runs: 1, seconds: 3, warmup: 1, saturate: false, narrow: false, maxP99Ms: 100, saturateStep: 5000 }
  : { targets: ['chat', 'relay', 'echo'], pairs: 500, rates: [1000, 2000, 5000, 10000, 15000, 20000], runs: 3, seconds: 5, warmup: 2, saturate: true, narrow: true, maxP99Ms: 100, saturateStep: 5000 };

const targets = await section('Message path', () => messagePath(pathOptions));
if (targets) report.messagePath = { options: pathOptions, targets };
if (!quick) {
  // Prosody keeps up with far less: start lower so its saturation falls between two points.
  report.prosody = await section('Prosody, the peer', () => prosody({ ...pathOptions, targets: ['prosody'], rates: [100, 250, 500, ...pathOptions.rates], saturate: false }));
  report.connections = await section('Connections', () => connections({ sockets: 10_000, concurrency: 200, runs: 3 }));
}
report.depth = await section('Depth', () =>
  depth(quick ? { messages: 200_000, conversations: 2_000, heavy: 1_000, seconds: 1, runs: 1, warmup: 1 } : { messages: 1_000_000, conversations: 10_000, heavy: 1_000, seconds: 5, runs: 3, warmup: 5 }),
);
if (!quick) report.drain = await section('Offline drain', () => drain({ backlog: 100_000, runs: 3 }));

report.minutes = (Date.now() - started.getTime()) / 60_000;
const markdown = renderReport(report);
const dir = join(process.cwd(), 'bench', 'results');
mkdirSync(dir, { recursive: true });
const stamp = started.toISOString().replace(/[:.]/g, '-');
const base = join(dir, `${stamp}${quick ? '-quick' : ''}`);
writeFileSync(`${base}.md`, markdown);
writeFileSync(`${base}.json`, JSON.stringify(report, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2));
copyFileSync(`${base}.md`, join(dir, quick ? 'latest-quick.md' : 'latest.md'));
copyFileSync(`${base}.json`, join(dir, quick ? 'latest-quick.json' : 'latest.json'));
console.log(`\n${markdown}\nwritten to ${base}.md and .json (${report.minutes.toFixed(1)} min)`);
const r = targets ? ratios(targets) : null;
if (r?.relay != null) console.log(`${TARGET_NAMES.chat}: ${(100 * r.relay).toFixed(0)} % of the bare relay's highest sustained rate`);
if (report.failures.length) process.exitCode = 1;
