// Certificate job progress: poll the JSON endpoint and update the <progress> bar until done.
// Progressive enhancement: without JavaScript the page shows the state when it was loaded.
(function () {
  var box = document.querySelector("[data-job-progress]");
  if (!box) { return; }
  var bar = box.querySelector("[data-role=bar]");
  var text = box.querySelector("[data-role=text]");
  var state = box.querySelector("[data-role=state]");
  function poll() {
    fetch(box.dataset.jobProgress, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        bar.max = job.total || 1;
        bar.value = job.total ? job.done + job.failed : 1;
        text.textContent = box.dataset.pattern
          .replace("{done}", job.done).replace("{total}", job.total).replace("{failed}", job.failed);
        if (job.finished) {
          state.textContent = box.dataset.finishedText;
          window.setTimeout(function () { window.location.reload(); }, 800);
        } else {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  if (box.dataset.finished !== "1") { window.setTimeout(poll, 1000); }
})();
