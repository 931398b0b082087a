// Asks for the one piece of text an action needs (who is dispatched, why an alert is closed) in a
// modal dialog: focus moves into it, Escape cancels, Enter confirms.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { t } from '../shared/i18n';

export function AskDialog({
  title,
  prompt,
  required,
  onAnswer,
  onCancel,
}: {
  title: string;
  prompt: string;
  required: boolean;
  onAnswer: (text: string) => void;
  onCancel: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState('');
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onAnswer(text.trim());
  };
  return (
    <dialog ref={dialog} className="ask" aria-label={title} onClose={onCancel}>
      <form onSubmit={submit}>
        <h2>{title}</h2>
        <label>
          {prompt}
          <input name="answer" required={required} autoFocus value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <div className="buttons">
          <button type="submit" className="primary">
            {t('common.confirm')}
          </button>
          <button type="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
