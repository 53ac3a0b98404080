// Self-assessment page: warn before leaving with unsaved changes (the server keeps every
// saved draft; this only guards typing that was never sent).
(function () {
  var form = document.getElementById("self-assessment-form");
  if (!form) { return; }
  var dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
