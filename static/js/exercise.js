// The exercise page. Without JavaScript it is a form of textareas, one per file, with a
// list of links to them. With it, the same form becomes a workspace: a file tree (an
// ARIA tree, operable by keys) beside one ACE editor holding a session per file (so undo
// is per file; read-only files are shown but not editable); what is typed is saved as a
// draft on the server as the learner types; Ctrl/Cmd+Enter submits; the submission is
// posted without a reload and its status polled until it has a verdict.
(function () {
  "use strict";

  var MODES = [
    [/\.py$/, "ace/mode/python"],
    [/\.html?$/, "ace/mode/django"],
    [/\.css$/, "ace/mode/css"],
    [/\.js$/, "ace/mode/javascript"],
    [/\.json$/, "ace/mode/json"],
    [/\.sql$/, "ace/mode/sql"],
    [/\.(md|txt)$/, "ace/mode/markdown"],
  ];
  var DRAFT_DELAY = 800; // ms after the last keystroke before the draft is saved

  function modeFor(path) {
    for (var i = 0; i < MODES.length; i++) if (MODES[i][0].test(path)) return MODES[i][1];
    return "ace/mode/text";
  }

  // --- The workspace: the tree, one editor, a session per file -------------------------

  function Workspace(form) {
    this.form = form;
    this.files = {}; // path -> { textarea, session, editable, item }
    this.order = [];
    this.current = null;
    this.onChange = function () {};
  }

  Workspace.prototype.start = function () {
    var self = this;
    var script = document.querySelector("script[data-ace-base]");
    if (script) window.ace.config.set("basePath", script.getAttribute("data-ace-base"));
    var holder = document.getElementById("ws-editor");
    holder.hidden = false;
    this.editor = window.ace.edit(holder, {
      tabSize: 4,
      useSoftTabs: true,
      showPrintMargin: false,
      fontSize: "14px",
      // Tab indents inside the editor; Escape gives the keys back to the page, so that Tab
      // then moves on (no keyboard trap).
      enableKeyboardAccessibility: true,
    });
    this.form.querySelectorAll("textarea.code-editor").forEach(function (textarea) {
      var path = textarea.dataset.path;
      var session = window.ace.createEditSession(textarea.value, modeFor(path));
      session.setUndoManager(new window.ace.UndoManager());
      session.setOptions({ tabSize: 4, useSoftTabs: true });
      var editable = !textarea.readOnly;
      if (editable) {
        session.on("change", function () {
          textarea.value = session.getValue();
          self.onChange(path);
        });
      }
      self.files[path] = { textarea: textarea, session: session, editable: editable };
      self.order.push(path);
    });
    this.form.classList.add("ws-ready");
    this.form.querySelector(".ws-bar").hidden = false;
    this.tree = new Tree(this.form.querySelector(".ws-tree ul.tree"), function (path) { self.open(path, true); });
    var first = this.order[0];
    var wanted = (window.location.hash || "").slice(1);
    this.order.forEach(function (path) {
      if (self.files[path].textarea.id === wanted + "-text") first = path;
    });
    if (first) this.open(first, false);
  };

  Workspace.prototype.open = function (path, focus) {
    var file = this.files[path];
    if (!file) return;
    this.current = path;
    this.editor.setSession(file.session);
    this.editor.setReadOnly(!file.editable);
    document.getElementById("ws-path").textContent = path;
    document.getElementById("ws-lock").hidden = file.editable;
    this.editor.setOption("textInputAriaLabel", path + (file.editable ? "" : " (read-only)"));
    this.tree.select(path);
    if (focus) this.editor.focus();
  };

  // Every editable file's text, by path: what a draft holds.
  Workspace.prototype.texts = function () {
    var out = {};
    var self = this;
    this.order.forEach(function (path) {
      if (self.files[path].editable) out[path] = self.files[path].session.getValue();
    });
    return out;
  };

  // Put ``texts`` in the editor as edits (so each file's undo brings back what was there).
  Workspace.prototype.replace = function (texts) {
    var self = this;
    Object.keys(texts).forEach(function (path) {
      var file = self.files[path];
      if (file && file.editable && file.session.getValue() !== texts[path]) file.session.doc.setValue(texts[path]);
    });
  };

  // --- The file tree (WAI-ARIA tree view pattern) --------------------------------------

  function Tree(root, onOpen) {
    var self = this;
    this.root = root;
    this.onOpen = onOpen;
    root.setAttribute("role", "tree");
    root.setAttribute("aria-label", "Project files");
    root.querySelectorAll("li").forEach(function (li, index) {
      li.setAttribute("role", "treeitem");
      li.tabIndex = -1;
      var label = li.querySelector(":scope > .tree-label");
      label.id = label.id || "tree-label-" + index;
      li.setAttribute("aria-labelledby", label.id);
      if (li.classList.contains("tree-folder")) {
        li.setAttribute("aria-expanded", "true");
        li.querySelector(":scope > ul").setAttribute("role", "group");
      } else {
        li.setAttribute("aria-selected", "false");
        // The item is the control now: its link (the way without JavaScript) is plain text.
        label.removeAttribute("href");
      }
    });
    var first = this.items()[0];
    if (first) first.tabIndex = 0;
    root.addEventListener("click", function (event) {
      var li = event.target.closest("li[role=treeitem]");
      if (!li) return;
      event.preventDefault();
      self.focus(li);
      self.activate(li);
    });
    root.addEventListener("keydown", function (event) { self.key(event); });
  }

  // The items a person can see: not inside a collapsed folder.
  Tree.prototype.items = function () {
    return Array.prototype.filter.call(this.root.querySelectorAll("li[role=treeitem]"), function (li) {
      var folder = li.parentElement.closest("li[aria-expanded]");
      while (folder) {
        if (folder.getAttribute("aria-expanded") === "false") return false;
        folder = folder.parentElement.closest("li[aria-expanded]");
      }
      return true;
    });
  };

  Tree.prototype.focus = function (li) {
    this.root.querySelectorAll("li[role=treeitem]").forEach(function (item) { item.tabIndex = -1; });
    li.tabIndex = 0;
    li.focus();
  };

  Tree.prototype.select = function (path) {
    var chosen = null;
    this.root.querySelectorAll("li.tree-file").forEach(function (li) {
      var on = li.dataset.path === path;
      li.setAttribute("aria-selected", on ? "true" : "false");
      if (on) chosen = li;
    });
    if (chosen) {
      // The chosen file is the tree's way in, and its folders are open.
      this.root.querySelectorAll("li[role=treeitem]").forEach(function (item) { item.tabIndex = -1; });
      chosen.tabIndex = 0;
      var folder = chosen.parentElement.closest("li[aria-expanded]");
      while (folder) {
        folder.setAttribute("aria-expanded", "true");
        folder = folder.parentElement.closest("li[aria-expanded]");
      }
    }
  };

  Tree.prototype.activate = function (li) {
    if (li.hasAttribute("aria-expanded")) {
      li.setAttribute("aria-expanded", li.getAttribute("aria-expanded") === "true" ? "false" : "true");
    } else {
      this.onOpen(li.dataset.path);
    }
  };

  Tree.prototype.key = function (event) {
    var li = event.target.closest("li[role=treeitem]");
    if (!li) return;
    var items = this.items();
    var at = items.indexOf(li);
    var folder = li.hasAttribute("aria-expanded");
    var open = li.getAttribute("aria-expanded") === "true";
    var parent = li.parentElement.closest("li[role=treeitem]");
    var target = null;
    switch (event.key) {
      case "ArrowDown": target = items[at + 1]; break;
      case "ArrowUp": target = items[at - 1]; break;
      case "Home": target = items[0]; break;
      case "End": target = items[items.length - 1]; break;
      case "ArrowRight":
        if (folder && !open) li.setAttribute("aria-expanded", "true");
        else if (folder) target = li.querySelector("li[role=treeitem]");
        break;
      case "ArrowLeft":
        if (folder && open) li.setAttribute("aria-expanded", "false");
        else target = parent;
        break;
      case "Enter":
      case " ":
        this.activate(li);
        break;
      default:
        return;
    }
    event.preventDefault();
    if (target) this.focus(target);
  };

  // --- Drafts: saved on the server as the learner types ---------------------------------

  function Drafts(form, workspace) {
    this.url = form.dataset.draftUrl;
    this.form = form;
    this.workspace = workspace;
    this.status = document.getElementById("draft-status");
    this.timer = null;
    this.dirty = false;
    this.saving = null;
    this.paused = false;
  }

  Drafts.prototype.changed = function () {
    if (!this.url || this.paused) return;
    if (!this.dirty) this.say("Unsaved changes…", ""); // said once, not at every key
    this.dirty = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(this.save.bind(this), DRAFT_DELAY);
  };

  Drafts.prototype.say = function (text, kind) {
    if (this.status.textContent !== text) this.status.textContent = text;
    this.status.className = "ws-draft" + (kind ? " ws-draft-" + kind : "");
  };

  // Save now if anything changed. One save at a time, in order: a change made while one
  // is on its way is saved when it is back, so an older text never lands after a newer.
  // Resolves when the server has the latest (or said why not).
  Drafts.prototype.save = function (options) {
    var self = this;
    clearTimeout(this.timer);
    if (!this.url) return Promise.resolve();
    if (this.saving) {
      return this.saving.then(function () { return self.dirty ? self.save(options) : undefined; });
    }
    if (!this.dirty) return Promise.resolve();
    this.dirty = false;
    this.say("Saving draft…", "");
    var body = JSON.stringify({ files: this.workspace.texts() });
    var keepalive = !!(options && options.keepalive) && new Blob([body]).size < 60000; // the browser's cap
    this.saving = fetch(this.url, {
      method: "POST",
      body: body,
      keepalive: keepalive,
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": Duet.csrfToken(self.form) },
      credentials: "same-origin",
    })
      .then(Duet.reply)
      .then(function (reply) {
        if (reply.ok && reply.data.saved_at) {
          var at = new Date(reply.data.saved_at);
          if (!self.dirty) self.say("Draft saved " + at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }), "saved");
        } else {
          // Refused, or not the answer expected (logged out: the login page came back).
          self.dirty = true;
          self.say(Duet.refusal(reply.status, reply.data), "failed");
        }
      })
      .catch(function () {
        self.dirty = true;
        self.say("Draft not saved: the server could not be reached. Retrying…", "failed");
        self.timer = setTimeout(self.save.bind(self), 5000);
      })
      .then(function () { self.saving = null; });
    return this.saving;
  };

  // The draft is about to become an attempt: nothing pending must overwrite it later.
  Drafts.prototype.cancel = function () {
    clearTimeout(this.timer);
    this.dirty = false;
  };

  // --- Reset to starter ------------------------------------------------------------------

  function setUpReset(form, workspace, drafts) {
    var link = document.getElementById("reset-button");
    var dialog = document.getElementById("reset-dialog");
    if (!link || !dialog || typeof dialog.showModal !== "function") return; // the link's page asks
    link.addEventListener("click", function (event) {
      event.preventDefault();
      dialog.showModal();
    });
    dialog.querySelector("[data-reset-cancel]").addEventListener("click", function () { dialog.close(); });
    dialog.querySelector("[data-reset-confirm]").addEventListener("click", function () {
      dialog.close();
      var error = document.getElementById("submit-error");
      var unsaved = drafts.dirty;
      var data = new FormData();
      data.append("confirmed", "1");
      // A save on its way lands first; nothing typed before the reset lands after it.
      (drafts.saving || Promise.resolve())
        .then(function () {
          drafts.cancel();
          return fetch(form.dataset.resetUrl, {
            method: "POST",
            body: data,
            headers: { Accept: "application/json", "X-CSRFToken": Duet.csrfToken(form) },
            credentials: "same-origin",
          });
        })
        .then(Duet.reply)
        .then(function (reply) {
          if (!reply.ok || !reply.data.files) {
            error.textContent = Duet.refusal(reply.status, reply.data) + " Nothing was reset.";
            if (unsaved) drafts.changed();
            return;
          }
          drafts.paused = true;
          workspace.replace(reply.data.files);
          drafts.paused = false;
          drafts.say("Reset to the starter; draft saved", "saved");
          document.getElementById("ws-source").textContent = "The starter files: edit them, then submit.";
        })
        .catch(function () {
          error.textContent = "The server could not be reached; nothing was reset.";
          if (unsaved) drafts.changed();
        });
    });
  }

  // --- Hints, results, submitting --------------------------------------------------------

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

  function setUpSubmit(form, drafts) {
    var button = document.getElementById("submit-button");
    var error = document.getElementById("submit-error");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (button.disabled) return;
      error.textContent = "";
      button.disabled = true;
      var pending = drafts ? drafts.saving || Promise.resolve() : Promise.resolve();
      if (drafts) drafts.cancel();
      pending
        .then(function () {
          return fetch(form.action, {
            method: "POST",
            body: new FormData(form),
            headers: { Accept: "application/json", "X-CSRFToken": Duet.csrfToken(form) },
            credentials: "same-origin",
          });
        })
        .then(Duet.reply)
        .then(function (reply) {
          if (!reply.ok || !reply.data.status_url) {
            // The server's own words (a file too large, too many waiting…); the code stays.
            error.textContent = Duet.refusal(reply.status, reply.data) + (reply.data.error ? "" : " Your code is still in the editor.");
            button.disabled = false;
            if (drafts) drafts.changed(); // keep what was typed as a draft
            return;
          }
          if (drafts) drafts.say("Submitted", "saved");
          document.getElementById("ws-source").textContent = "The editor holds what you submitted.";
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
          if (drafts) drafts.changed();
        });
    });
    // Ctrl+Enter (Cmd+Enter on a Mac) submits from anywhere on the page.
    document.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !button.disabled) {
        event.preventDefault();
        form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
      }
    });
  }

  function setUpLeaving(drafts) {
    if (!drafts) return;
    // The zip, and the page an attempt opens in, are made from the saved draft: save
    // what was just typed first.
    document.addEventListener("click", function (event) {
      var link = event.target.closest("#download-button, a.reopen");
      if (!link || (!drafts.dirty && !drafts.saving)) return;
      event.preventDefault();
      drafts.save().then(function () { window.location.href = link.href; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("submit-form");
    if (form) {
      var drafts = null;
      if (window.ace && document.getElementById("ws-editor")) {
        var workspace = new Workspace(form);
        drafts = new Drafts(form, workspace);
        workspace.onChange = function () { drafts.changed(); };
        workspace.start();
        if (workspace.editor) {
          workspace.editor.commands.addCommand({
            name: "submit",
            bindKey: { win: "Ctrl-Enter", mac: "Command-Enter" },
            exec: function () { form.requestSubmit(); },
          });
        }
        setUpReset(form, workspace, drafts);
        if (form.dataset.source === "draft") drafts.say("Draft saved", "saved");
        window.addEventListener("pagehide", function () { drafts.save({ keepalive: true }); });
        document.addEventListener("visibilitychange", function () {
          if (document.visibilityState === "hidden") drafts.save({ keepalive: true });
        });
        window.duetWorkspace = workspace; // for the browser tests and the console
      }
      setUpSubmit(form, drafts);
      setUpLeaving(drafts);
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
