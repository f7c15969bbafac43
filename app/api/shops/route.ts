import { shopCreate, shopList } from '@/server/rest/shops';

// GET /api/shops: the public shop list; POST /api/shops: a seller opens a shop
export { shopList as GET, shopCreate as POST };
