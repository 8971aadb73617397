// The exercise page: a code editor over each textarea (ACE, when it loaded; the plain
// textarea otherwise), hints revealed one at a time, and submission without a reload:
// post the form, then poll the submission's status until it has a verdict.
(function () {
  "use strict";

  function setUpEditors(form) {
    if (!window.ace) return [];
    var script = document.querySelector("script[data-ace-base]");
    if (script) window.ace.config.set("basePath", script.getAttribute("data-ace-base"));
    var editors = [];
    form.querySelectorAll("textarea.code-editor").forEach(function (textarea) {
      var holder = document.createElement("div");
      holder.className = "ace-holder";
      holder.setAttribute("data-path", textarea.dataset.path);
      textarea.parentNode.insertBefore(holder, textarea);
      textarea.hidden = true;
      var editor = window.ace.edit(holder, {
        value: textarea.value,
        mode: /\.py$/.test(textarea.dataset.path) ? "ace/mode/python" : /\.html$/.test(textarea.dataset.path) ? "ace/mode/django" : "ace/mode/text",
        tabSize: 4,
        useSoftTabs: true,
        showPrintMargin: false,
        minLines: 14,
        maxLines: 40,
        fontSize: "14px",
      });
      editor.session.on("change", function () { textarea.value = editor.getValue(); });
      holder.editor = editor;
      editors.push(editor);
    });
    return editors;
  }

  function setUpHints() {
    document.querySelectorAll("[data-hints] details.hint").forEach(function (hint) {
      hint.addEventListener("toggle", function () {
        var next = hint.nextElementSibling;
        if (hint.open && next && next.classList.contains("hint")) next.hidden = false;
      });
    });
  }

  function showResult(data) {
    var result = document.getElementById("result");
    result.innerHTML = data.html;
    if (data.attempts_html !== undefined) {
      document.getElementById("attempts").innerHTML = data.attempts_html;
    }
    return data.final;
  }

  function setUpSubmit(form) {
    var button = document.getElementById("submit-button");
    var error = document.getElementById("submit-error");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      error.textContent = "";
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json", "X-CSRFToken": Duet.csrfToken(form) },
        credentials: "same-origin",
      })
        .then(Duet.reply)
        .then(function (reply) {
          if (!reply.ok || !reply.data.status_url) {
            // The server's own words (a file too large, too many waiting…); the code stays.
            error.textContent = Duet.refusal(reply.status, reply.data) + (reply.data.error ? "" : " Your code is still in the editor.");
            button.disabled = false;
            return;
          }
          showResult({ html: '<div class="result status-queued" data-status="queued"><p class="verdict"><span class="status-badge">Queued</span> Waiting for a grader…</p></div>' });
          Duet.poll(reply.data.status_url, function (data) {
            if (!showResult(data)) return false;
            button.disabled = false;
            return true;
          });
        })
        .catch(function () {
          error.textContent = "The server could not be reached. Your code is still in the editor; try again.";
          button.disabled = false;
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("submit-form");
    if (form) {
      setUpEditors(form);
      setUpSubmit(form);
    }
    setUpHints();
    // A submission page opened before its verdict keeps itself up to date.
    var result = document.getElementById("result");
    var pending = result && result.querySelector(".status-queued, .status-running");
    var url = result && (result.dataset.statusUrl || null);
    if (pending && url) Duet.poll(url, showResult);
    if (pending && !url && pending.dataset.submission) Duet.poll("/submissions/" + pending.dataset.submission + "/status/", showResult);
  });
})();
