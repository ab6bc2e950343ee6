// Learner: mastery per skill with attempts, the weakest skills, the practice list with reasons, and the predicted
// success of chosen exercises.
import { call, query, segment } from './api.js';
import { h, labelled, table, show, format } from './dom.js';
import { bars } from './charts.js';

export function render(container, session) {
  const userId = h('input', { name: 'userId', required: true });
  const exercises = h('input', { name: 'itemIds', placeholder: 'ex-1, ex-2' });
  const mastery = h('section', { 'aria-label': 'Mastery' });
  const predictions = h('section', { 'aria-label': 'Predicted success' });

  async function load(event) {
    event?.preventDefault();
    const id = segment(userId.value.trim());
    try {
      const [learner, practice] = await Promise.all([
        call(`/users/${id}/mastery`),
        call(`/users/${id}/recommendations?goal=practice&count=10`),
      ]);
      show(mastery,
        h('h3', {}, 'Weakest skills'),
        learner.weakest.length
          ? h('ol', { 'aria-label': 'Weakest skills' }, learner.weakest.map(skill => h('li', {}, skill)))
          : h('p', { class: 'muted' }, 'No answers yet.'),
        h('h3', {}, 'Mastery per skill'),
        learner.skills.length > 0 && bars('Mastery per skill', ['mastery'], learner.skills.map(skill => ({
          name: skill.skill,
          values: [skill.mastery],
          texts: [`${format(skill.mastery)} (${skill.attempts} attempts)`],
          label: `${skill.skill}: mastery ${format(skill.mastery)}, ${skill.attempts} attempts, predicted success ${format(skill.predictedSuccess)}`,
        })), 1),
        h('h3', {}, 'Practice next'),
        table('Practice list', ['Exercise', 'Score', 'Reason'], practice.items.map(item => [item.itemId, item.score, item.reason])));
    } catch (error) { session.fail(error); }
  }

  async function predict(event) {
    event.preventDefault();
    try {
      const answer = await call(`/users/${segment(userId.value.trim())}/predictions` + query({ itemIds: exercises.value.replaceAll(' ', '') }));
      show(predictions, table('Predicted success', ['Exercise', 'Predicted success'], answer.predictions.map(p => [p.itemId, p.pCorrect])));
    } catch (error) { session.fail(error); }
  }

  show(container,
    h('h2', {}, 'Learner'),
    h('form', { class: 'row', 'aria-label': 'Learner', onsubmit: load },
      labelled('Learner id', userId), h('button', { type: 'submit' }, 'Show mastery')),
    mastery,
    h('form', { class: 'row', 'aria-label': 'Predict success', onsubmit: predict },
      labelled('Exercises (comma-separated ids)', exercises), h('button', { type: 'submit' }, 'Predict')),
    predictions);
}
