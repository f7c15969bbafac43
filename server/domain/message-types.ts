// The one canonical set of message types and each dialect's name for it (SPEC.md, Message types).
export const MESSAGE_TYPES = [
  { type: 'text', seed002: 'Text', seed003: 'RC:TxtMsg', seed004: 'text' },
  { type: 'image', seed002: 'Image', seed003: 'RC:ImgMsg', seed004: 'image' },
  { type: 'voice', seed002: 'Voice', seed003: 'RC:VcMsg', seed004: 'voice' },
  { type: 'imgtext', seed002: 'ImgText', seed003: 'RC:ImgTextMsg', seed004: 'imgtext' },
  { type: 'location', seed002: 'Location', seed003: 'RC:LBSMsg', seed004: 'location' },
  { type: 'contact', seed002: 'ContactNtf', seed003: 'RC:ContactNtf', seed004: 'contact' },
  { type: 'info', seed002: 'InfoNtf', seed003: 'RC:InfoNtf', seed004: 'info' },
  { type: 'profile', seed002: 'ProfileNtf', seed003: 'RC:ProfileNtf', seed004: 'profile' },
  { type: 'command', seed002: 'CmdNtf', seed003: 'RC:CmdNtf', seed004: 'command' },
  { type: 'handshake', seed002: 'HsMsg', seed003: 'RC:HsMsg', seed004: 'handshake' },
  { type: 'hangup', seed002: 'SpMsg', seed003: 'RC:SpMsg', seed004: 'hangup' },
] as const;

export type MessageType = (typeof MESSAGE_TYPES)[number]['type'];
export type Dialect = 'seed002' | 'seed003' | 'seed004';

export const MESSAGE_TYPE_NAMES = MESSAGE_TYPES.map((t) => t.type) as [MessageType, ...MessageType[]];

export function isMessageType(value: unknown): value is MessageType {
  return MESSAGE_TYPES.some((t) => t.type === value);
}

/** The canonical type for a dialect's name, or null when the dialect has no such type. */
export function typeFromDialect(dialect: Dialect, name: unknown): MessageType | null {
  return MESSAGE_TYPES.find((t) => t[dialect] === name)?.type ?? null;
}

export function typeToDialect(dialect: Dialect, type: string): string {
  return MESSAGE_TYPES.find((t) => t.type === type)?.[dialect] ?? type;
}
