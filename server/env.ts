// Settings (SPEC.md, Settings): read from the environment once, checked, then frozen.
import { z } from 'zod';

const settingsSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  CHAT_DB_PATH: z.string().min(1).default('./data/chat.db'),
  CHAT_UPLOAD_DIR: z.string().min(1).default('./data/uploads'),
  CHAT_TIMEZONE: z
    .string()
    .default('Asia/Shanghai')
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'not a known IANA time zone'),
  CHAT_APP_SECRET: z.string().min(1).optional(),
  CHAT_DEMO: z.enum(['0', '1']).default('1'),
  CHAT_ALLOWED_ORIGINS: z.string().optional(),
  CHAT_WS_HEARTBEAT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  CHAT_SERVER_TIMING: z.enum(['0', '1']).default('0'),
});

export type Settings = Readonly<{
  port: number;
  host: string;
  dbPath: string;
  uploadDir: string;
  timeZone: string;
  appSecret: string | undefined;
  demo: boolean;
  /** Browser origins allowed to open /ws; undefined means "the app's own origin". */
  allowedOrigins: string[] | undefined;
  /** How often /ws pings each socket; a socket that missed the previous ping is dropped. */
  wsHeartbeatMs: number;
  /** Whether route answers carry `Server-Timing: app;dur=<ms>` (the benchmarks read it; off by default, it tells timings to anyone). */
  serverTiming: boolean;
}>;

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid settings:\n  ${problems.join('\n  ')}`);
  }
  const s = parsed.data;
  return Object.freeze({
    port: s.PORT,
    host: s.HOST,
    dbPath: s.CHAT_DB_PATH,
    uploadDir: s.CHAT_UPLOAD_DIR,
    timeZone: s.CHAT_TIMEZONE,
    appSecret: s.CHAT_APP_SECRET,
    demo: s.CHAT_DEMO === '1',
    allowedOrigins: s.CHAT_ALLOWED_ORIGINS?.split(',').map((o) => o.trim()).filter(Boolean),
    wsHeartbeatMs: s.CHAT_WS_HEARTBEAT_MS,
    serverTiming: s.CHAT_SERVER_TIMING === '1',
  });
}

const globalSettings = globalThis as unknown as { __chatSettings?: Settings };

/** Replaces the process's settings (tests that point the store and uploads at a fresh folder). */
export function useSettings(env: NodeJS.ProcessEnv): Settings {
  return (globalSettings.__chatSettings = readSettings(env));
}

/** The process's settings, parsed on first use. */
export function settings(): Settings {
  return (globalSettings.__chatSettings ??= readSettings());
}
