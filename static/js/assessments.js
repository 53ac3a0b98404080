// Self-assessment page: "保存并提交评估申请" asks for confirmation only when the form is
// complete. The fields a submission needs carry data-submit-requires (the rule lives in
// Application.missing_parts); the sentences come from the server (#missing-texts), so the
// browser says exactly what the server would. Without JavaScript the server checks the same.
(function () {
  var form = document.getElementById("self-assessment-form");
  var textsNode = document.getElementById("missing-texts");
  if (!form || !textsNode) { return; }
  var texts = JSON.parse(textsNode.textContent);
  var named = parseInt(texts.named, 10);

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, key) {
      return key in values ? String(values[key]) : match;
    });
  }

  function missingMessage(codes, report) {
    if (!codes.length) { return report ? texts.report : ""; }
    var values = {
      n: codes.length + (report ? 1 : 0),
      m: codes.length,
      items: codes.slice(0, named).join(texts.separator)
    };
    values.more = codes.length > named ? fill(texts.more, values) : "";
    return fill(report ? texts.items_and_report : texts.items, values);
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm-when-complete]");
    if (!button) { return; }
    var codes = [];
    var report = false;
    var firstEmpty = null;
    form.querySelectorAll("[data-submit-requires]").forEach(function (field) {
      if (field.value.trim() !== "") { return; }
      if (!firstEmpty) { firstEmpty = field; }
      if (field.dataset.submitRequires === "report") { report = true; }
      else { codes.push(field.dataset.submitRequires); }
    });
    var region = document.getElementById("submit-check");
    region.textContent = "";
    if (firstEmpty) {
      event.preventDefault();
      var alert = document.createElement("div");
      alert.className = "alert alert-danger mb-0 mt-2";
      alert.textContent = missingMessage(codes, report);
      region.appendChild(alert);
      firstEmpty.focus();
      return;
    }
    if (!window.confirm(button.dataset.confirmWhenComplete)) { event.preventDefault(); }
  });
})();

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
