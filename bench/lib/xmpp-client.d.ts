// The little of @xmpp/client (which ships no types) that bench/prosody.ts uses.
declare module '@xmpp/client' {
  export interface Element {
    name: string;
    attrs: Record<string, string | undefined>;
    is(name: string, xmlns?: string): boolean;
  }
  export interface Client {
    start(): Promise<unknown>;
    stop(): Promise<unknown>;
    send(element: Element): Promise<void>;
    on(event: 'stanza', listener: (stanza: Element) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    streamManagement: {
      requestAckDebounce: number;
      on(event: 'ack', listener: (stanza: Element) => void): void;
    };
  }
  export function client(options: {
    service: string;
    domain: string;
    username: string;
    password: string;
    resource?: string;
    /** Picks the SASL mechanism itself: `authenticate(credentials, mechanism)`. */
    credentials?: (authenticate: (credentials: { username: string; password: string }, mechanism: string) => Promise<void>) => Promise<void>;
  }): Client;
  export function xml(name: string, attrs?: Record<string, string>, ...children: (Element | string)[]): Element;
}
