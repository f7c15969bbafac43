'use client';
// A picture when there is one that loads, else the name's first letter on a tint.
import { useState } from 'react';

const TINTS = ['#dbeafe', '#dcfce7', '#fef3c7', '#fce7f3', '#ede9fe', '#ccfbf1', '#fee2e2'];

function tintFor(name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
  return TINTS[hash % TINTS.length];
}

export function Avatar({ name, src }: { name: string; src: string }) {
  const [failed, setFailed] = useState(false);
  // Decorative: the name is always written beside it.
  if (src && !failed) {
    return <img className="avatar" src={src} alt="" aria-hidden="true" onError={() => setFailed(true)} />;
  }
  const initial = Array.from(name.trim())[0]?.toUpperCase() ?? '?';
  return (
    <span className="avatar" aria-hidden="true" style={{ background: tintFor(name) }}>
      {initial}
    </span>
  );
}
