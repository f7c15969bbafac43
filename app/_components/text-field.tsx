// A labelled text input with an optional hint below it, as the sign-in and sign-up forms use.
import type { InputHTMLAttributes } from 'react';

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'name' | 'onChange'> & {
  name: string;
  label: string;
  hint?: string;
  onValue: (value: string) => void;
};

export function TextField({ name, label, hint, onValue, ...input }: TextFieldProps) {
  const hintId = hint ? `${name}-hint` : undefined;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={name} className="text-sm font-medium">
        {label}
      </label>
      <input id={name} name={name} aria-describedby={hintId} className="field-input" onChange={(event) => onValue(event.target.value)} {...input} />
      {hint && (
        <p id={hintId} className="text-xs text-muted">
          {hint}
        </p>
      )}
    </div>
  );
}
