// POST /api/auth/register and /api/auth/login: accounts for integrators and tests (token in the body).
import { z } from 'zod';
import { signIn, signUp } from '../domain/accounts';
import { restRoute } from './errors';
import { clientIp, jsonResponse, readJsonBody } from './http';

const registerBody = z.object({
  username: z.string().trim(),
  password: z.string(),
  nickname: z.string().trim().optional(),
  role: z.enum(['member', 'seller']).optional(),
});

const loginBody = z.object({ username: z.string().trim(), password: z.string() });

export function register(req: Request): Promise<Response> {
  return restRoute(async () => {
    const body = registerBody.parse(await readJsonBody(req));
    return jsonResponse(await signUp(body, clientIp(req.headers)), 201);
  });
}

export function login(req: Request): Promise<Response> {
  return restRoute(async () => {
    const body = loginBody.parse(await readJsonBody(req));
    return jsonResponse(await signIn(body.username, body.password, clientIp(req.headers)));
  });
}
