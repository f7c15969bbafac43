// Shops: a seller's storefront that members write to.
import { asc, count, eq } from 'drizzle-orm';
import { db } from '../db/client';
import { shops } from '../db/schema';
import { badRequest, DomainError, forbidden, notFound } from './errors';
import { requireUnicodeText } from './text';
import type { PublicUser } from './users';

export type Shop = { id: string; name: string; logo: string; sellerId: number };

const SHOP_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

function toShop(row: typeof shops.$inferSelect): Shop {
  return { id: row.id, name: row.name, logo: row.logo, sellerId: row.sellerId };
}

/**
 * A logo the pages may put in an <img>: http(s), or a path on this site. Never `javascript:`,
 * `data:` or the like, and not `//host` (a path only in looks).
 */
export function isSafeImageUrl(url: string): boolean {
  if (url.length > 500) return false;
  if (url.startsWith('/')) return !url.startsWith('//') && !url.startsWith('/\\');
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.host !== '';
  } catch {
    return false;
  }
}

export function createShop(seller: PublicUser, input: { id?: string; name: string; logo?: string }): Shop {
  if (seller.role !== 'seller') throw forbidden('only sellers can open shops');
  const name = input.name.trim();
  if (name.length < 1 || name.length > 64) throw badRequest('name must be 1 to 64 characters');
  if (input.id !== undefined && !SHOP_ID_PATTERN.test(input.id)) {
    throw badRequest('id must be 1 to 64 letters, digits, "_" or "-"');
  }
  requireUnicodeText(name, 'name');
  const logo = input.logo?.trim() ?? '';
  if (logo !== '' && !isSafeImageUrl(logo)) throw badRequest('logo must be an http(s) URL or a path on this site');
  const id = input.id ?? nextShopId();
  const row = db()
    .insert(shops)
    .values({ id, name, logo, sellerId: seller.id, createdAt: Date.now() })
    .onConflictDoNothing()
    .returning()
    .get();
  if (!row) throw new DomainError('CONFLICT', `shop id ${id} is taken`);
  return toShop(row);
}

/** Ids like the seeds' "s1001": "s" and a number one past the count, skipping taken ones. */
function nextShopId(): string {
  let n = 1001 + db().select({ n: count() }).from(shops).get()!.n;
  while (findShop(`s${n}`)) n++;
  return `s${n}`;
}

export function findShop(id: string): Shop | undefined {
  const row = db().select().from(shops).where(eq(shops.id, id)).get();
  return row && toShop(row);
}

export function getShop(id: string): Shop {
  const shop = findShop(id);
  if (!shop) throw notFound('no such shop');
  return shop;
}

export function listShops(): Shop[] {
  return db().select().from(shops).orderBy(asc(shops.createdAt), asc(shops.id)).all().map(toShop);
}

export function shopsOfSeller(sellerId: number): Shop[] {
  return db().select().from(shops).where(eq(shops.sellerId, sellerId)).orderBy(asc(shops.id)).all().map(toShop);
}
