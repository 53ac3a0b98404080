// Progressive enhancement only: every page works without JavaScript.
// Forms marked data-once send one request however often their button is clicked (the
// server refuses a repeated transition anyway). Buttons stay enabled so their name/value
// is still part of the submission.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches("form[data-once]")) { return; }
  if (form.dataset.submitted === "1") { event.preventDefault(); return; }
  form.dataset.submitted = "1";
  form.setAttribute("aria-busy", "true");
});
// Confirmation for irreversible actions (data-confirm="...").
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) { event.preventDefault(); }
});
