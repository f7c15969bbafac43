// /api/shops: the public shop list, and shop creation by sellers.
import { z } from 'zod';
import { createShop, listShops } from '../domain/shops';
import { restRoute } from './errors';
import { jsonResponse, readJsonBody, requestUser } from './http';

const createShopBody = z.object({
  id: z.string().optional(),
  name: z.string(),
  logo: z.string().max(500).optional(),
});

export function shopList(): Promise<Response> {
  return restRoute(() => jsonResponse({ shops: listShops() }));
}

export function shopCreate(req: Request): Promise<Response> {
  return restRoute(async () => {
    const seller = requestUser(req);
    const body = createShopBody.parse(await readJsonBody(req));
    return jsonResponse({ shop: createShop(seller, body) }, 201);
  });
}
