'use client';
// Writing: Enter sends, Shift+Enter adds a line (never while an input method is composing, so
// Chinese input works); each chat keeps its draft; images go up by button, paste or drop, with
// progress, and are sent as an image message.
import { useEffect, useRef, useState } from 'react';
import { useTranslations } from 'use-intl';
import { useLiveChannel } from '../../_lib/live/live-provider';

const TYPING_EVERY_MS = 3_000;

function draftKey(userId: number, conversationId: number): string {
  return `chat_draft:${userId}:${conversationId}`;
}

/** Uploads a file with progress; resolves with its URL. */
function upload(file: File, onProgress: (percent: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    const form = new FormData();
    form.append('file', file, file.name);
    request.open('POST', '/api/upload');
    request.upload.onprogress = (event) => event.lengthComputable && onProgress(Math.round((event.loaded / event.total) * 100));
    request.onload = () => {
      if (request.status === 201) resolve((JSON.parse(request.responseText) as { url: string }).url);
      else {
        let message = '';
        try {
          message = (JSON.parse(request.responseText) as { error?: { message?: string } }).error?.message ?? '';
        } catch {
          // not JSON: the generic message below
        }
        reject(new Error(message));
      }
    };
    request.onerror = () => reject(new Error(''));
    request.send(form);
  });
}

export type ImageSender = (file: File) => void;

export function useImageSender(conversationId: number): { sendImage: ImageSender; progress: number | null; error: string | null } {
  const channel = useLiveChannel();
  const t = useTranslations('errors');
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const sendImage = (file: File) => {
    setError(null);
    if (!file.type.startsWith('image/')) {
      setError(t('uploadType'));
      return;
    }
    setProgress(0);
    upload(file, setProgress)
      .then((url) => channel.send(conversationId, 'image', url))
      .catch((failure: Error) => setError(failure.message || t('uploadFailed')))
      .finally(() => setProgress(null));
  };
  return { sendImage, progress, error };
}

export function Composer({ conversationId, userId, sendImage, onSent }: { conversationId: number; userId: number; sendImage: ImageSender; onSent: () => void }) {
  const channel = useLiveChannel();
  const t = useTranslations('composer');
  const [draft, setDraft] = useState('');
  const composing = useRef(false);
  const lastTyping = useRef(0);
  const fileInput = useRef<HTMLInputElement>(null);
  const textArea = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    setDraft(localStorage.getItem(draftKey(userId, conversationId)) ?? '');
    textArea.current?.focus({ preventScroll: true });
  }, [userId, conversationId]);

  const keep = (value: string) => {
    setDraft(value);
    if (value) localStorage.setItem(draftKey(userId, conversationId), value);
    else localStorage.removeItem(draftKey(userId, conversationId));
    if (value && Date.now() - lastTyping.current > TYPING_EVERY_MS) {
      lastTyping.current = Date.now();
      channel.typing(conversationId);
    }
  };

  const send = () => {
    const text = draft.trim();
    if (!text) return;
    channel.send(conversationId, 'text', text);
    keep('');
    lastTyping.current = 0;
    onSent();
  };

  return (
    <form
      className="flex items-end gap-2 border-t border-line bg-surface p-2"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <button type="button" className="btn-icon" aria-label={t('attach')} title={t('attach')} onClick={() => fileInput.current?.click()}>
        <svg aria-hidden="true" viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="1.8">
          <rect x="3" y="5" width="18" height="14" rx="2" />
          <circle cx="9" cy="10" r="1.8" />
          <path d="m4 18 5.5-5.5 4 4L16 14l4 4" />
        </svg>
      </button>
      <input
        ref={fileInput}
        type="file"
        accept="image/*"
        className="hidden"
        tabIndex={-1}
        aria-hidden="true"
        onChange={(event) => {
          const file = event.target.files?.[0];
          if (file) sendImage(file);
          event.target.value = '';
        }}
      />
      <label className="min-w-0 flex-1">
        <span className="sr-only">{t('label')}</span>
        <textarea
          ref={textArea}
          rows={1}
          value={draft}
          placeholder={t('placeholder')}
          aria-description={t('hint')}
          className="field-input max-h-40 min-h-10 resize-none"
          style={{ height: `${Math.min(10, draft.split('\n').length) * 1.5 + 1}rem` }}
          onChange={(event) => keep(event.target.value)}
          onCompositionStart={() => (composing.current = true)}
          onCompositionEnd={() => (composing.current = false)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey && !composing.current && !event.nativeEvent.isComposing) {
              event.preventDefault();
              send();
            }
          }}
          onPaste={(event) => {
            const file = Array.from(event.clipboardData.files).find((candidate) => candidate.type.startsWith('image/'));
            if (file) {
              event.preventDefault();
              sendImage(file);
            }
          }}
        />
      </label>
      <button type="submit" className="btn btn-primary" disabled={!draft.trim()}>
        {t('send')}
      </button>
    </form>
  );
}
