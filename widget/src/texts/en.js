// What English adds once the visitor interacts: what the dialog says after the question
// (the reasons step, the outcome); the rest is in texts.js.

export default {
  sending_: 'Sending…',
  pick_: 'Please choose a score first.',
  sent: 'Thank you! Your feedback was sent.',
  queued: 'Your feedback is saved on this device and will be sent later.',
  refused: 'Sorry, this page may not send feedback, so yours was not sent.',
  failed: 'Sorry, your feedback could not be sent.',
  closed_: 'Feedback is closed for this site.',
  why_: 'What went wrong? Tell us more (optional)',
  themes_: {
    speed: 'Too slow',
    findability: 'Hard to find things',
    unresolved: 'My question wasn’t solved',
    returns: 'Returning was hard',
    waiting: 'Long wait for help',
    human_contact: 'No real person to talk to',
  },
};
