// One context for every tRPC caller: HTTP requests (cookie or Bearer) and, later, socket callers
// (they pass the token of their Auth frame as a Bearer header).
import { userForToken } from '../domain/accounts';
import type { PublicUser } from '../domain/users';
import { clientIp, requestToken } from '../rest/http';

export type Context = {
  user: PublicUser | null;
  token: string | undefined;
  ip: string | undefined;
  /** Response headers of an HTTP call (to set the session cookie); null on a socket. */
  resHeaders: Headers | null;
};

export function createContext({ req, resHeaders = null }: { req: { method: string; headers: Headers }; resHeaders?: Headers | null }): Context {
  const token = requestToken(req);
  return { user: userForToken(token), token, ip: clientIp(req.headers), resHeaders };
}
