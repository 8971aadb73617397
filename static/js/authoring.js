// Authoring pages: ACE over each exercise file (the plain textarea when ACE did not load),
// adding and removing files, image upload into the markdown editors, and "Validate"
// without a reload: post, then watch the validation until it has an outcome.
(function () {
  "use strict";

  function modeFor(path) {
    if (/\.py$/.test(path)) return "ace/mode/python";
    if (/\.html?$/.test(path)) return "ace/mode/django";
    if (/\.css$/.test(path)) return "ace/mode/css";
    if (/\.js$/.test(path)) return "ace/mode/javascript";
    if (/\.(json)$/.test(path)) return "ace/mode/json";
    if (/\.(md|txt)$/.test(path)) return "ace/mode/markdown";
    return "ace/mode/text";
  }

  function setUpEditor(row) {
    var textarea = row.querySelector("textarea.code-editor");
    var pathInput = row.querySelector("input.file-path");
    if (!window.ace || !textarea || textarea.dataset.aceReady) return;
    textarea.dataset.aceReady = "1";
    var holder = document.createElement("div");
    holder.className = "ace-holder";
    textarea.parentNode.insertBefore(holder, textarea);
    textarea.hidden = true;
    var editor = window.ace.edit(holder, {
      value: textarea.value,
      mode: modeFor(pathInput ? pathInput.value : ""),
      tabSize: 4,
      useSoftTabs: true,
      showPrintMargin: false,
      minLines: 6,
      maxLines: 40,
      fontSize: "14px",
      useWorker: false,
    });
    editor.session.on("change", function () { textarea.value = editor.getValue(); });
    if (pathInput) {
      pathInput.addEventListener("change", function () { editor.session.setMode(modeFor(pathInput.value)); });
      holder.dataset.path = pathInput.value;
      pathInput.addEventListener("input", function () { holder.dataset.path = pathInput.value; });
    }
    holder.editor = editor;
  }

  function setUpRemove(row) {
    var box = row.querySelector("input[type=checkbox][name$='-DELETE']");
    if (!box) return;
    box.addEventListener("change", function () { row.classList.toggle("removed", box.checked); });
  }

  function setUpFiles(form) {
    var rows = document.getElementById("file-rows");
    var template = document.getElementById("file-row-template");
    var total = form.querySelector("input[name='files-TOTAL_FORMS']");
    rows.querySelectorAll(".file-row").forEach(function (row) { setUpEditor(row); setUpRemove(row); });
    var add = form.querySelector("[data-add-file]");
    if (!add || !template || !total) return;
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var holder = document.createElement("div");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
      var row = holder.querySelector(".file-row");
      rows.appendChild(row);
      total.value = String(index + 1);
      setUpEditor(row);
      setUpRemove(row);
      var path = row.querySelector("input.file-path");
      if (path) path.focus();
    });
  }

  // --- Validate, and watch the outcome arrive -------------------------------------------

  var watching = false;

  function watch(streamUrl, statusUrl) {
    if (watching) return;
    watching = true;
    Duet.watch(
      streamUrl,
      statusUrl,
      function (data) {
        document.getElementById("exercise-status").innerHTML = data.html;
        if (data.final) watching = false;
        return data.final;
      },
      { delay: 300 }
    );
  }

  function setUpValidate(panel) {
    panel.addEventListener("submit", function (event) {
      var form = event.target;
      if (form.id !== "validate-form") return;
      event.preventDefault();
      var button = form.querySelector("button");
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json", "X-CSRFToken": Duet.csrfToken(form) },
        credentials: "same-origin",
      })
        .then(function (response) {
          if (!response.ok) throw new Error("status " + response.status);
          return response.json();
        })
        .then(function (data) { watch(data.stream_url, data.status_url); })
        .catch(function () { form.submit(); }); // the plain form still works
    });
    var pending = panel.querySelector("[data-poll-url]");
    if (pending) watch(pending.dataset.streamUrl, pending.dataset.pollUrl);
  }

  // --- Images into the markdown editors -------------------------------------------------

  function insertAtCursor(textarea, text) {
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    textarea.value = textarea.value.slice(0, start) + text + textarea.value.slice(end);
    textarea.selectionStart = textarea.selectionEnd = start + text.length;
    textarea.dispatchEvent(new Event("input", { bubbles: true })); // markdownx refreshes the preview
  }

  function showUploadError(scope, message) {
    var place = scope.querySelector("[data-upload-error]");
    if (place) place.textContent = message;
  }

  function setUpImageUpload(form) {
    var input = form.querySelector("[data-image-upload]");
    var editor = form.querySelector("textarea.markdownx-editor");
    if (!input || !editor) return;
    input.addEventListener("change", function () {
      if (!input.files.length) return;
      var data = new FormData();
      data.append("image", input.files[0]);
      showUploadError(form, "");
      fetch(editor.getAttribute("data-markdownx-upload-urls-path"), {
        method: "POST",
        body: data,
        headers: { "X-CSRFToken": Duet.csrfToken(form), "X-Requested-With": "XMLHttpRequest" },
        credentials: "same-origin",
      })
        .then(function (response) { return response.json(); })
        .then(function (reply) {
          if (reply.image_code) insertAtCursor(editor, reply.image_code);
          else showUploadError(form, reply.error || "The image could not be uploaded.");
        })
        .catch(function () { showUploadError(form, "The image could not be uploaded: the server could not be reached."); })
        .then(function () { input.value = ""; });
    });
    // An image dropped on the text goes through markdownx itself: show our message, and
    // take back the "Invalid response" it types into the text when an upload is refused.
    form.querySelectorAll(".markdownx").forEach(function (box) {
      box.addEventListener("markdownx.fileUploadError", function (event) {
        var reply = event.detail && event.detail[0];
        showUploadError(form, (reply && reply.error) || "The image could not be uploaded.");
        setTimeout(function () {
          var text = editor.value, cut = editor.selectionStart, junk = "Invalid response";
          if (text.slice(cut - junk.length, cut) === junk) {
            editor.value = text.slice(0, cut - junk.length) + text.slice(cut);
            editor.selectionStart = editor.selectionEnd = cut - junk.length;
          }
        }, 0);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var script = document.querySelector("script[data-ace-base]");
    if (window.ace && script) window.ace.config.set("basePath", script.getAttribute("data-ace-base"));
    var exerciseForm = document.getElementById("exercise-form");
    if (exerciseForm) setUpFiles(exerciseForm);
    document.querySelectorAll("form.author-form").forEach(setUpImageUpload);
    var panel = document.getElementById("exercise-status");
    if (panel) setUpValidate(panel);
  });
})();
