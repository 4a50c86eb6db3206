// The AI budget, in the captions area. When this month's AI budget is spent, every live meeting of
// the tenant hears of it (meeting.{id} {type: "aiBudget", level, action, paused}) and everyone sees
// what is paused; the warning (at ai.budget.warnRatio, 80 %) is shown to the tenant's admins only,
// who also see where the budget stands when they enter a room (GET /api/v1/budget).

import {get} from '../api.js';
import {$} from '../dom.js';
import {app} from '../state.js';

function isAdmin() {
  return (app.me?.roles || []).includes('admin');
}

function textOf({level, paused, warnRatio, ratio}) {
  if (level === 'exhausted') {
    return (paused || []).includes('captions')
      ? 'AI is paused: this month\'s AI budget is spent. Captions and translation stop until an admin raises the budget.'
      : 'Translation is paused: this month\'s AI budget is spent. Captions continue on the local speech engine.';
  }
  if (level === 'warning' && isAdmin()) {
    const share = Math.round(100 * (ratio ?? warnRatio ?? 0.8));
    return `Your organisation has used ${share} % of this month's AI budget (shown to admins).`;
  }
  return '';
}

/** Shows (or clears) the budget notice for {level, action, paused, warnRatio?, ratio?}. */
export function showBudget(room, budget) {
  if (app.room !== room) return;
  const box = $('ai-budget');
  const text = textOf(budget);
  box.textContent = text;
  box.hidden = !text;
  box.dataset.level = text ? budget.level : '';
}

/** A final caption that says translation is paused: the notice, for those who missed the event. */
export function captionSaysPaused(room) {
  if ($('ai-budget').hidden) showBudget(room, {level: 'exhausted', paused: ['translation']});
}

/** On entering a room: admins see where the budget stands now. */
export async function loadBudget(room) {
  if (!isAdmin()) return;
  try {
    showBudget(room, await get('/budget'));
  } catch (e) {
    console.warn('AI budget unknown', e);
  }
}
