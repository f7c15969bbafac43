import type { Metadata } from 'next';
import { ShopsScreen } from './shops-screen';

export const metadata: Metadata = { title: 'Shops' };

export default function ShopsPage() {
  return <ShopsScreen />;
}
