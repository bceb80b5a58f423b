// The built-in "click to play" dialog shown when the browser's autoplay policy blocks playback
// (PLAY_NOT_ALLOWED). One dialog per page; a click resumes every blocked stream.

const blocked = new Set<() => Promise<void>>();
let dialog: HTMLElement | undefined;

function hide(): void {
  dialog?.remove();
  dialog = undefined;
}

/** Registers a blocked player's resume function and shows the dialog if it is not shown yet. */
export function showAutoPlayDialog(resume: () => Promise<void>): void {
  blocked.add(resume);
  if (dialog || typeof document === 'undefined') return;
  const el = document.createElement('div');
  el.className = 'trtc-autoplay-dialog';
  el.setAttribute('role', 'dialog');
  el.setAttribute('aria-label', 'Playback blocked by the browser');
  el.style.cssText =
    'position:fixed;inset:0;z-index:2147483647;display:flex;align-items:center;justify-content:center;' +
    'background:rgba(0,0,0,.45);font:16px/1.4 system-ui,sans-serif';
  const box = document.createElement('div');
  box.style.cssText =
    'background:#fff;color:#222;padding:24px 28px;border-radius:10px;max-width:320px;text-align:center';
  const text = document.createElement('p');
  text.textContent = 'Your browser blocked audio and video from playing automatically.';
  text.style.margin = '0 0 16px';
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Click to play';
  button.style.cssText =
    'font:inherit;padding:8px 20px;border:0;border-radius:6px;background:#006eff;color:#fff;cursor:pointer';
  button.addEventListener('click', () => {
    const all = [...blocked];
    blocked.clear();
    hide();
    for (const r of all) void r().catch(() => undefined);
  });
  box.append(text, button);
  el.append(box);
  document.body.append(el);
  dialog = el;
}

/** Forgets a player (stopped or resumed by the app). Hides the dialog when nothing is blocked. */
export function forgetAutoPlay(resume: () => Promise<void>): void {
  blocked.delete(resume);
  if (blocked.size === 0) hide();
}
