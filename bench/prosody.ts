// The peer: Prosody (Debian's package: one Lua process, single-threaded like one Node process) on
// 127.0.0.1 with SQLite storage and mod_mam archiving every message, driven by the same workload
// shape (N sender → recipient pairs, open loop at the same offered rates) through @xmpp/client.
// The mapping to seed 002: a send is a <message type="chat"> whose id carries the index; its Ack
// is Prosody's stream-management (XEP-0198) <a h="…"/> covering it (the client asks with <r/>
// after each burst), which Prosody sends once it has handled the stanza, archive write included;
// delivery is the stanza arriving on the recipient's stream. Loss is checked by counting the
// archive (two rows per message: the sender's and the recipient's). Installs Prosody with apt-get
// when missing; where it cannot, prints one SKIPPED line.
// Durability: Prosody 0.12 sets no SQLite pragma, so each archive write is a transaction with
// synchronous=FULL (an fsync per commit; the file is made WAL first, which SQLite remembers).
// Its data lives on tmpfs (/dev/shm) unless --disk: there the fsync is free, and, like our
// synchronous=NORMAL, a commit survives a crash of the process but not one of the machine.
//   npx tsx bench/prosody.ts [--pairs 500] [--rates 1000,2000,5000] [--runs 3] [--seconds 5] [--warmup 2] [--disk]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { client as xmppClient, xml } from '@xmpp/client';
import Database from 'better-sqlite3';
import { machineLine, pinClient, serverPrefix } from './lib/machine';
import { isClean, isDrained, settledCount, stepRates, withServerCpu, type MessagePathOptions, type TargetResult } from './lib/points';
import { newPoint, type LoadPoint } from './lib/seed002-load';
import { isMain } from './lib/target';

export type ProsodyResult =
  | { skipped: string; version?: undefined; result?: undefined; store?: undefined }
  | { skipped: null; version: string; result: TargetResult; store: string };

const DOMAIN = 'bench.local';
const PASSWORD = 'bench-pass';

function installed(): string | null {
  const version = spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'prosody']);
  const dbi = spawnSync('dpkg-query', ['-W', '-f', '${Status}', 'lua-dbi-sqlite3']);
  return version.status === 0 && String(dbi.stdout).includes('installed') ? String(version.stdout) : null;
}

/** Prosody's version once it is installed (apt-get when missing), or why it cannot be. */
function ensureProsody(): { version: string } | { skipped: string } {
  const present = installed();
  if (present) return { version: present };
  if (process.getuid?.() !== 0) return { skipped: 'Prosody is not installed and installing it needs root (apt-get install prosody lua-dbi-sqlite3)' };
  console.log('installing prosody and lua-dbi-sqlite3 with apt-get …');
  const result = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'prosody', 'lua-dbi-sqlite3'], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    timeout: 300_000,
    encoding: 'utf8',
  });
  const after = installed();
  if (after) return { version: after };
  return { skipped: `apt-get could not install prosody: ${(result.stderr || result.error?.message || '').trim().split('\n').at(-1)}` };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForPort(port: number, exited: () => boolean): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until && !exited()) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = tcpConnect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`prosody did not listen on ${port}`);
}

function config(dir: string, port: number): string {
  return `-- Written by bench/prosody.ts for one benchmark run.
run_as_root = true
pidfile = "${dir}/prosody.pid"
data_path = "${dir}/data"
certificates = "${dir}/certs"
admin_socket = "${dir}/prosody.sock"
interfaces = { "127.0.0.1" }
c2s_ports = { ${port} }
s2s_ports = {}
http_ports = {}
https_ports = {}
modules_enabled = { "roster", "saslauth", "disco", "ping", "mam", "smacks", "admin_shell", "admin_socket" }
modules_disabled = { "s2s", "offline", "c2s_limits" }
authentication = "internal_hashed"
storage = "sql"
sql = { driver = "SQLite3", database = "${dir}/data/prosody.sqlite" }
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
-- PLAIN: SCRAM would make the client compute PBKDF2 in JavaScript for each of its 1,000 logins.
disable_sasl_mechanisms = { "SCRAM-SHA-1", "SCRAM-SHA-1-PLUS", "DIGEST-MD5" }
default_archive_policy = true
archive_expires_after = "never"
log = { { levels = { min = "error" }, to = "console" } }
VirtualHost "${DOMAIN}"
`;
}

type Xmpp = ReturnType<typeof xmppClient>;

async function online(port: number, username: string): Promise<Xmpp> {
  const xmpp = xmppClient({
    service: `xmpp://127.0.0.1:${port}`,
    domain: DOMAIN,
    username,
    password: PASSWORD,
    resource: 'bench',
    // PLAIN on loopback without TLS, which the client refuses to choose by itself.
    credentials: (authenticate) => authenticate({ username, password: PASSWORD }, 'PLAIN'),
  });
  xmpp.on('error', () => {});
  // Ask for the server's Ack right after each burst of sends, not 250 ms later.
  xmpp.streamManagement.requestAckDebounce = 0;
  await xmpp.start();
  await xmpp.send(xml('presence'));
  return xmpp;
}

export async function prosody(options: MessagePathOptions, { disk = false } = {}): Promise<ProsodyResult> {
  pinClient();
  const available = ensureProsody();
  if ('skipped' in available) {
    console.log(`Prosody: SKIPPED — ${available.skipped}`);
    return { skipped: available.skipped };
  }
  console.log(machineLine());
  console.log(`Prosody ${available.version}: SQLite storage, mod_mam archiving every message, stream-management Acks`);
  const onTmpfs = !disk && existsSync('/dev/shm');
  const dir = mkdtempSync(join(onTmpfs ? '/dev/shm' : tmpdir(), 'bench-prosody-'));
  mkdirSync(join(dir, 'data'));
  const prepared = new Database(join(dir, 'data', 'prosody.sqlite'));
  prepared.pragma('journal_mode = WAL');
  prepared.close();
  console.log(`Prosody's store: SQLite, WAL, synchronous=FULL, on ${onTmpfs ? 'tmpfs (/dev/shm)' : 'disk'}`);
  mkdirSync(join(dir, 'certs'));
  const port = await freePort();
  const configPath = join(dir, 'prosody.cfg.lua');
  writeFileSync(configPath, config(dir, port));
  const [command, ...args] = [...serverPrefix(), 'prosody', '--config', configPath, '-F'];
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // Read what it prints (a full pipe would stall it), keeping the end for an error message.
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited = false;
  child.once('exit', () => (exited = true));
  const clients: Xmpp[] = [];
  try {
    await waitForPort(port, () => exited).catch((error: Error) => {
      throw new Error(`${error.message}:\n${output}`);
    });
    const users = Array.from({ length: 2 * options.pairs }, (_, i) => `u${i}`);
    // One shell session creates them all: a prosodyctl call per user would take minutes.
    execFileSync('prosodyctl', ['--config', configPath, 'shell'], {
      input: users.map((u) => `user:create("${u}@${DOMAIN}", "${PASSWORD}")\n`).join(''),
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    let point: LoadPoint | null = null;
    const senders: Xmpp[] = [];
    let nextPair = 0;
    const worker = async () => {
      while (nextPair < options.pairs) {
        const i = nextPair++;
        const sender = await online(port, users[2 * i]);
        const recipient = await online(port, users[2 * i + 1]);
        clients.push(sender, recipient);
        sender.streamManagement.on('ack', (stanza) => {
          if (stanza.attrs.id) point?.onAck(stanza.attrs.id);
        });
        recipient.on('stanza', (stanza) => {
          if (stanza.is('message') && stanza.attrs.id) point?.onDelivery(stanza.attrs.id);
        });
        senders[i] = sender;
      }
    };
    await Promise.all(Array.from({ length: 20 }, worker));
    const archive = new Database(join(dir, 'data', 'prosody.sqlite'), { readonly: true, fileMustExist: true });
    const archived = () => Number((archive.prepare(`SELECT count(*) AS n FROM prosodyarchive WHERE store = 'archive'`).get() as { n: number }).n);
    let points = 0;
    try {
      const result = await stepRates(
        'prosody',
        options,
        async (rate) => {
          const before = archived();
          const current = newPoint(String(7_100_000_000 + ++points), { rate, seconds: options.seconds, warmup: options.warmup });
          point = current;
          const run = await withServerCpu(child.pid, async () => {
            const sending = await current.offer((k) => {
              const i = k % senders.length;
              void senders[i].send(xml('message', { to: `${users[2 * i + 1]}@${DOMAIN}`, type: 'chat', id: current.id(k) }, xml('body', {}, `bench message ${k}`))).catch(() => {});
            });
            await current.drain(30);
            point = null;
            return current.result({ rate, seconds: options.seconds, warmup: options.warmup }, sending);
          });
          // Two archive rows per message; `when` is in whole seconds, so persisted/s is approximate.
          const rows = (await settledCount(() => ({ rows: (archived() - before) / 2 }), run.sent)).rows * 2;
          const inWindow = Number(
            (
              archive
                .prepare(`SELECT count(*) AS n FROM prosodyarchive WHERE store = 'archive' AND "when" >= ? AND "when" < ?`)
                .get(Math.floor(run.windowMs.from / 1000), Math.floor(run.windowMs.to / 1000)) as { n: number }
            ).n,
          );
          const store = { rows: rows / 2, distinct: rows / 2, persistedPerSecond: inWindow / 2 / options.seconds, recipientAckedPerSecond: NaN };
          return { ...run, store, lossFree: rows === 2 * run.sent && isClean(run), drained: isDrained(run) };
        },
        { stopAtFirstFailure: true },
      );
      return { skipped: null, version: available.version, result, store: `SQLite WAL, synchronous=FULL, on ${onTmpfs ? 'tmpfs' : 'disk'}` };
    } finally {
      archive.close();
    }
  } finally {
    await Promise.all(clients.map((c) => c.stop().catch(() => {})));
    child.kill('SIGTERM');
    if (!exited) await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      pairs: { type: 'string', default: '500' },
      rates: { type: 'string', default: '1000,2000,5000,10000,15000,20000' },
      runs: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '2' },
      'max-p99': { type: 'string', default: '100' },
      disk: { type: 'boolean', default: false },
    },
  });
  await prosody(
    {
    targets: ['prosody'],
    pairs: Number(values.pairs),
    rates: values.rates.split(',').map(Number),
    runs: Number(values.runs),
    seconds: Number(values.seconds),
    warmup: Number(values.warmup),
    saturate: false,
    narrow: false,
    maxP99Ms: Number(values['max-p99']),
    saturateStep: 5000,
    },
    { disk: values.disk },
  );
}
