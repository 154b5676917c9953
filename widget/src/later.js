// The code of the modules lazy.js fetches (the build adds each language's texts): what runs
// only once the visitor interacts, a trigger fires or a response waits to be resent. Its
// dependencies are bundled with it; what has state in the bundle (the page's listeners, the
// prompt shown) comes in as arguments.

export { sendHalf, submit } from './answer.js';
export { showReasons } from './reasons.js';
export { fire } from './fire.js';
export { resendWaiting } from './outbox.js';
