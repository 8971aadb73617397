// Review pages: filters that apply as soon as a choice changes (the Show button still
// works without JavaScript), and a regrade's progress bar, pushed (or polled) from its JSON status.
(function () {
  "use strict";

  function setUpFilters() {
    document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
      form.querySelectorAll("select").forEach(function (select) {
        select.addEventListener("change", function () { form.submit(); });
      });
    });
  }

  function showProgress(box, data) {
    var bar = box.querySelector("progress");
    bar.max = Math.max(data.total, 1);
    bar.value = data.total ? data.finished : 1;
    bar.textContent = data.percent + "%";
    box.querySelectorAll("[data-field]").forEach(function (field) {
      var name = field.getAttribute("data-field");
      if (name === "state") field.textContent = data.complete ? "finished" : "running";
      else if (data[name] !== undefined) field.textContent = String(data[name]);
    });
  }

  function setUpRegrade() {
    var box = document.getElementById("regrade");
    if (!box || box.getAttribute("data-complete") === "true") return;
    Duet.watch(
      box.getAttribute("data-stream-url"),
      box.getAttribute("data-status-url"),
      function (data) {
        showProgress(box, data);
        // Finished: load the page again, for the list of changed verdicts.
        if (data.complete) window.location.reload();
        return data.complete;
      },
      { wait: 500, delay: 1000, growth: 1, max: 1000, retry: 3000 }
    );
  }

  setUpFilters();
  setUpRegrade();
})();
