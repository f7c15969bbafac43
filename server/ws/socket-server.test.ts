// The frames the live channel writes itself, read back by ws's own receiver (a client's side).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Writable } from 'node:stream';
import * as ws from 'ws';
import { textFrame } from './socket-server';

// ws exports the receiver its clients read frames with; @types/ws does not declare it.
const { Receiver } = ws as unknown as { Receiver: new (options: { isServer: boolean }) => Writable };

/** The texts ws's receiver reads from `frames`, once it has taken them all in. */
function readBack(frames: Buffer[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const texts: string[] = [];
    const receiver = new Receiver({ isServer: false });
    receiver.on('message', (data: Buffer, isBinary: boolean) => {
      assert.equal(isBinary, false);
      texts.push(data.toString('utf8'));
    });
    receiver.on('error', reject);
    // All at once, as a socket may deliver them: each frame must end where its header says. A
    // frame that claims more bytes than it has leaves fewer texts, and the comparison fails.
    receiver.write(Buffer.concat(frames), () => resolve(texts));
  });
}

test('text frames of every length class (7-bit, 16-bit and 64-bit lengths, counted in bytes) read back whole', async () => {
  const texts = ['', 'x'.repeat(125), 'é'.repeat(63), 'x'.repeat(126), 'é'.repeat(32_767), '😀'.repeat(16_384), 'x'.repeat(65_536), 'ü'.repeat(70_000)];
  const frames = texts.map(textFrame);
  assert.deepEqual(
    frames.map((frame, i) => frame.length - Buffer.byteLength(texts[i])),
    [2, 2, 4, 4, 4, 10, 10, 10],
    'the header is 2, 4 or 10 bytes as the length needs',
  );
  assert.deepEqual(await readBack(frames), texts);
});
