import { type ReactNode, useEffect, useRef, useState } from 'react';

/**
 * Secret text shown once (a new token's ~/.keyward, an export): the heading takes the focus, the
 * text can be copied or downloaded, and a button says the person is done with it. Nothing of it
 * is kept once the panel closes.
 */
export function ShownOnce({
  id,
  title,
  text,
  label,
  download,
  doneLabel,
  onDone,
  children,
}: {
  /** The id of the heading; the panel is named by it. */
  id: string;
  title: string;
  text: string;
  /** What the text is, for screen readers. */
  label: string;
  /** A file name and type: the panel then offers the text as that file. */
  download?: { name: string; type: string };
  doneLabel: string;
  onDone: () => void;
  /** What to do with it and that it is shown once. */
  children: ReactNode;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const pre = useRef<HTMLPreElement>(null);
  const [status, setStatus] = useState<string | null>(null);

  useEffect(() => heading.current?.focus(), []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setStatus('Copied to the clipboard.');
    } catch {
      // No clipboard (an insecure page, a refused permission): select the text for Ctrl-C instead.
      const selection = window.getSelection();
      if (pre.current && selection) selection.selectAllChildren(pre.current);
      setStatus('The browser refused the clipboard: the text is selected, press Ctrl-C to copy it.');
    }
  };

  const save = () => {
    if (!download) return;
    // The file is made in the browser from the text on screen: it never goes through a URL the server sees.
    const url = URL.createObjectURL(new Blob([text], { type: download.type }));
    const link = document.createElement('a');
    link.href = url;
    link.download = download.name;
    document.body.append(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(url);
    setStatus(`Saved as ${download.name} in your downloads.`);
  };

  return (
    <section className="panel shown-once" aria-labelledby={id}>
      <h2 id={id} ref={heading} tabIndex={-1}>
        {title}
      </h2>
      {children}
      <pre ref={pre} className="shown-once-text" tabIndex={0} aria-label={label}>
        {text}
      </pre>
      <div className="actions">
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
        {download && (
          <button type="button" className="secondary" onClick={save}>
            Download {download.name}
          </button>
        )}
        <button type="button" className="secondary" onClick={onDone}>
          {doneLabel}
        </button>
        <span role="status" className="muted">
          {status}
        </span>
      </div>
    </section>
  );
}
