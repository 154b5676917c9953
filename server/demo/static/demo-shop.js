// The demo shop's own script: the queue stub a site owner pastes, so calls made before the
// widget has loaded are kept, and the checkout's "moment of truth" question after paying.
window.Touchpoint = window.Touchpoint || function () { (Touchpoint.q = Touchpoint.q || []).push(arguments) };

document.addEventListener('DOMContentLoaded', function () {
  var pay = document.getElementById('pay');
  if (!pay) return;
  pay.addEventListener('click', function () {
    document.getElementById('paid').textContent = 'Payment received (this is a demo: nothing was charged).';
    Touchpoint.ask({ metric: 'ces' });
  });
});
