// Polls a background task's status once a second and updates the page; when the task has finished,
// reloads so the server renders its summary and result link. Loaded as a file (CSP: script-src 'self').
(function () {
  "use strict";
  var box = document.querySelector("[data-task-status-url]");
  if (!box || !box.dataset.taskStatusUrl) { return; }
  var url = box.dataset.taskStatusUrl;
  var bar = box.querySelector("progress");

  function show(name, text) {
    var el = box.querySelector('[data-task-field="' + name + '"]');
    if (el) { el.textContent = text; }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        if (data.finished) { window.location.reload(); return; }
        show("status_label", data.status_label);
        show("message", data.message);
        show("count", data.total ? data.done + " / " + data.total : "");
        if (bar && data.percent !== null) { bar.value = data.percent; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
