'use client';
// A picture when there is one that loads, else the name's first letter on a tint.
import { useState } from 'react';

const TINTS = ['#dbeafe', '#dcfce7', '#fef3c7', '#fce7f3', '#ede9fe', '#ccfbf1', '#fee2e2'];

function tintFor(name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
  return TINTS[hash % TINTS.length];
}

export function Avatar({ name, src, size = 44 }: { name: string; src: string; size?: number }) {
  const [failed, setFailed] = useState(false);
  const box = { width: size, height: size };
  // Decorative: the name is always written beside it.
  if (src && !failed) {
    return <img className="shrink-0 rounded-full bg-canvas object-cover" style={box} src={src} alt="" aria-hidden="true" onError={() => setFailed(true)} />;
  }
  const initial = Array.from(name.trim())[0]?.toUpperCase() ?? '?';
  return (
    <span
      className="inline-flex shrink-0 items-center justify-center rounded-full font-semibold text-ink"
      aria-hidden="true"
      style={{ ...box, background: tintFor(name), fontSize: size * 0.42 }}
    >
      {initial}
    </span>
  );
}
