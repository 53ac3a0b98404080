// Idle warning (portal/sessions.py): shown shortly before the server ends an idle session.
// "Continue" posts to the keep-alive URL, which counts as activity; when the time is up the
// page reloads, and the server signs the user out with a message saying why.
(function () {
  var box = document.getElementById("session-timeout");
  if (!box) { return; }
  var idle = Number(box.dataset.idleSeconds) * 1000;
  var warning = Number(box.dataset.warningSeconds) * 1000;
  var stay = box.querySelector("[data-session-stay]");
  var timers = [];

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function schedule() {
    timers.forEach(window.clearTimeout);
    box.classList.add("d-none");
    timers = [
      window.setTimeout(function () {
        box.classList.remove("d-none");
        stay.focus();
      }, Math.max(idle - warning, 0)),
      window.setTimeout(function () { window.location.reload(); }, idle + 1000),
    ];
  }

  stay.addEventListener("click", function () {
    fetch(box.dataset.keepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    }).then(function (response) {
      if (response.ok) { schedule(); } else { window.location.reload(); }
    });
  });
  schedule();
})();
